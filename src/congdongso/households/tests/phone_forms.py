"""Valid Vietnamese mobile numbers and the ways people write them, for property tests."""

from hypothesis import strategies as st

# Mobile prefixes in use after the 2018 renumbering (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile,
# Itelecom) that phonenumbers' metadata accepts whole (it knows only parts of 089, 052 and 099).
MOBILE_PREFIXES = [
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
    "081", "082", "083", "084", "085", "088", "091", "094",
    "070", "076", "077", "078", "079", "090", "093",
    "056", "058", "092", "059", "087",
]

mobile_numbers = st.builds(
    lambda prefix, rest: prefix + rest, st.sampled_from(MOBILE_PREFIXES), st.text("0123456789", min_size=7, max_size=7)
)


def written_forms(national: str) -> list[str]:
    """"0912345678" as people write it: grouped, dotted, dashed, with the country code, in brackets."""
    n = national[1:]  # without the trunk 0
    return [
        national,
        f"{national[:4]} {national[4:7]} {national[7:]}",
        f"+84 {n}",
        f"+84{n}",
        f"84{n}",
        f"({national[:3]}) {national[3:]}",
        f"{national[:4]}.{national[4:7]}.{national[7:]}",
        f"{national[:4]}-{national[4:7]}-{national[7:]}",
        f"+84 {n[:3]} {n[3:6]} {n[6:]}",
        f"0084 {n}",
        f"(+84) {n}",
    ]


@st.composite
def spaced(draw, text: str) -> str:
    """`text` with spaces put anywhere, and around it."""
    out = []
    for ch in text:
        out.append(" " * draw(st.integers(0, 2)))
        out.append(ch)
    out.append(" " * draw(st.integers(0, 2)))
    return "".join(out)


@st.composite
def written_phone(draw) -> tuple[str, str]:
    """(national form, one way of writing it, spaces anywhere)."""
    national = draw(mobile_numbers)
    form = draw(st.sampled_from(written_forms(national)))
    return national, draw(spaced(form))
