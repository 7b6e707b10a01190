"""Segment profiles, VIP against the rest, and the acquisition spend guide."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.customers import acquisition_spend_guide, segment_profiles, vip_vs_rest


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5],
            "segment": ["Lapsed", "VIP", "VIP", "Lapsed", "Lapsed"],
            "customer_type": ["retail", "fleet", "retail", "retail", "retail"],
            "gender": ["Female", "M", "f", None, "x"],
            "annual_income": [50_000, 150_000, None, 40_000, 60_000],
            "recency_days": [400, 10, 30, 500, 600],
            "frequency": [1, 5, 3, 1, 1],
            "service_visits": [0, 10, 6, 1, 0],
            "monetary": [20_000, 200_000, 90_000, 25_000, 15_000],
            "service_revenue": [0, 5_000, 3_000, 500, 0],
            "predicted_ltv": [100.0, 9_000.0, 3_000.0, 200.0, 0.0],
        }
    )


def test_profiles_report_size_behaviour_revenue_and_who_the_customers_are(customers):
    prof = segment_profiles(customers).set_index("segment")
    assert list(prof.index) == ["VIP", "Lapsed"]
    vip, lapsed = prof.loc["VIP"], prof.loc["Lapsed"]
    assert (vip["customers"], vip["share"]) == (2, 0.4)
    assert vip["avg_monetary"] == 145_000 and vip["avg_service_visits"] == 8
    assert vip["revenue_share"] == pytest.approx(298_000 / 358_500)
    assert vip["avg_annual_income"] == 150_000  # the unknown income is left out
    assert (vip["share_female"], vip["share_male"], vip["fleet_share"]) == (0.5, 0.5, 0.5)
    assert lapsed["share_unknown_gender"] == pytest.approx(2 / 3)
    assert vip["avg_predicted_ltv"] == 6_000.0


def test_profiles_without_a_segment_column_say_how_to_add_one(customers):
    with pytest.raises(ValueError, match="fit_predict"):
        segment_profiles(customers.drop(columns="segment"))


def test_vip_is_compared_with_everyone_else(customers):
    table = vip_vs_rest(customers).set_index("metric")
    frequency = table.loc["avg_frequency"]
    assert (frequency["top"], frequency["rest"]) == (4, 1)
    assert (frequency["ratio"], frequency["difference"]) == (4, 3)
    assert table.loc["avg_predicted_ltv", "top"] == 6_000.0
    assert (table["top_segment"] == "VIP").all()


def test_without_a_vip_the_segment_with_most_revenue_per_customer_leads(customers):
    renamed = customers.replace({"segment": {"VIP": "Loyal"}})
    assert (vip_vs_rest(renamed)["top_segment"] == "Loyal").all()


def test_the_acquisition_guide_divides_gross_ltv_by_the_target_ratio(customers):
    prof = segment_profiles(customers)
    guide = acquisition_spend_guide(prof, target_ltv_to_cac=3.0).set_index("segment")
    assert guide.loc["VIP", "max_acquisition_spend"] == pytest.approx(2_000.0)
    assert guide.loc["Lapsed", "max_acquisition_spend"] == pytest.approx(100.0 / 3)
    assert "6,000 / target LTV:CAC 3 = spend at most 2,000" in guide.loc["VIP", "explanation"]


def test_the_acquisition_guide_never_recommends_negative_spend():
    prof = pd.DataFrame({"segment": ["A", "B"], "avg_predicted_ltv": [-50.0, np.nan]})
    guide = acquisition_spend_guide(prof, target_ltv_to_cac=4)
    assert guide.loc[0, "max_acquisition_spend"] == 0.0
    assert np.isnan(guide.loc[1, "max_acquisition_spend"])
    assert "not positive" in guide.loc[0, "explanation"]


@pytest.mark.parametrize("target", [0, -1.0])
def test_the_acquisition_guide_refuses_a_non_positive_target(target):
    with pytest.raises(ValueError, match="positive"):
        acquisition_spend_guide(
            pd.DataFrame({"segment": ["A"], "avg_predicted_ltv": [1.0]}), target_ltv_to_cac=target
        )


def test_the_acquisition_guide_names_the_missing_ltv_column():
    with pytest.raises(ValueError, match="predict_ltv"):
        acquisition_spend_guide(pd.DataFrame({"segment": ["A"], "customers": [3]}))
