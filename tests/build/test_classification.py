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
