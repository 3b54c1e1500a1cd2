import pytest

# The second-factor step (accounts.session_rules) keeps an officer's fresh session half signed in
# until a code is given; these tests are about what a fully signed-in user sees, so they sign in
# past it. The key is harmless where the step does not apply.
SECOND_FACTOR_PENDING = "cds_second_factor_pending"


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_PENDING] = False
    session.save()


@pytest.fixture
def login():
    return sign_in
