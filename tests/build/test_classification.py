"""outlook.build.classification: fitted title models are saved in the warehouse and reused."""

from __future__ import annotations

import pytest

from outlook.build.classification import (
    MODELS_TABLE,
    build_classifier,
    current_version,
    onet_frames,
)
from outlook.warehouse import connect


def test_build_saves_the_fitted_models_and_readers_reuse_them(
    demo_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transforms.title_model import LinearTitleModel

    with connect(demo_settings.db, read_only=True) as con:
        frames, release = onet_frames(con)
        version = current_version(release)
        saved = con.execute(
            f"select model, count(*) from {MODELS_TABLE} where version = ? group by model",
            [version],
        ).fetchall()
        assert {m for m, _ in saved} == {"occupation", "major"}
        assert con.execute(f"select count(distinct version) from {MODELS_TABLE}").fetchall() == [
            (1,)
        ], "only the current version's models are kept"

        def refuse(*_args, **_kwargs):
            raise AssertionError("the saved models should have been used, not refitted")

        monkeypatch.setattr(LinearTitleModel, "fit", refuse)
        classifier = build_classifier(con, frames, version, save=False)
    nurse = classifier.classify("Registered Nurse - ICU Nights")
    assert nurse.soc_code == "29-1141"
    assert classifier.version == version


def test_readers_load_the_saved_state_without_the_reference_lists(
    demo_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build saves the classifier's state; a reader loads it without reading the O*NET
    lists, recomputing a reference key or reading the model frame, and answers alike."""
    import outlook.build.classification as classification
    import transforms.classifier_state as state
    from outlook.build.classification import INDEX_TABLE, onet_release_label
    from transforms.title_model import LinearTitleModel

    with connect(demo_settings.db, read_only=True) as con:
        frames, release = onet_frames(con)
        assert onet_release_label(con) == release
        version = current_version(release)
        assert con.execute(f"select version from {INDEX_TABLE}").fetchall() == [(version,)]
        rebuilt = build_classifier(con, frames, version + "-probe", save=False)

        def refuse(*_args, **_kwargs):
            raise AssertionError("the saved state should have been loaded")

        monkeypatch.setattr(classification, "onet_frames", refuse)
        monkeypatch.setattr(state, "reference_key", refuse)
        monkeypatch.setattr(LinearTitleModel, "from_frame", refuse)
        monkeypatch.setattr(LinearTitleModel, "fit", refuse)
        loaded = build_classifier(con, None, version, save=False)
    titles = ["Registered Nurse - ICU Nights", "PI Director", "Cashierr", "zzqxv", "Welder"]
    naics = ["622110", None, "44", None, "331"]
    got = loaded.classify_many(titles, naics)
    assert got.equals(rebuilt.classify_many(titles, naics))
