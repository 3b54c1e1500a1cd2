from congdongso.testing.browser import browser, order_browser_tests_last, page  # noqa: F401


def pytest_collection_modifyitems(session, config, items):
    order_browser_tests_last(items)
