"""core.rates.within_rate: a counter per client and kind in the shared cache."""

from core.rates import within_rate


def test_it_allows_the_limit_then_refuses_each_client_apart():
    assert [within_rate("demo", "a", "2/h") for _ in range(3)] == [True, True, False]
    assert within_rate("demo", "b", "2/h")
    assert within_rate("other-kind", "a", "2/h")
