"""The launchpad's stocking knobs mirror the library's policy, so the two cannot drift apart."""

import dataclasses

from ml.stocking import StockingParams
from orchestration.assets.stocking import StockingConfig

# Deliberate differences, each explained where the config sets it.
ASSET_OVERRIDES = {"min_weekly_demand": 0.25}
ASSET_ONLY = {"grain"}


def test_every_stocking_knob_has_the_library_default_unless_deliberately_overridden():
    library = {f.name: f.default for f in dataclasses.fields(StockingParams)}
    asset = {name: field.default for name, field in StockingConfig.model_fields.items()}

    assert set(asset) - ASSET_ONLY == set(library)
    for name in set(asset) - ASSET_ONLY:
        assert asset[name] == ASSET_OVERRIDES.get(name, library[name]), name


def test_the_asset_config_builds_valid_library_params():
    config = StockingConfig()
    params = StockingParams(**config.model_dump(exclude={"grain"}))
    assert params.min_weekly_demand == ASSET_OVERRIDES["min_weekly_demand"]
