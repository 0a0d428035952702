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


def test_candidates_table_holds_the_top_k_of_each_classified_title(demo_settings) -> None:
    """marts.title_soc_candidates: rank 1 is the code and confidence the
    postings are counted under; ranks 1..5, probabilities non-increasing, summing to <= 1."""
    from transforms.classify import MAX_TOP

    with connect(demo_settings.db, read_only=True) as con:
        table = "marts.title_soc_candidates"
        mismatched = con.execute(
            f"""select count(*) from (
                select distinct s.title_normalised, s.naics_sector, c.onet_soc_code,
                    c.classification_confidence
                from staging.stg_postings__postings as s
                join intermediate.int_postings__classified as c using (posting_row_id)
                where c.onet_soc_code is not null) as p
            left join {table} as k
                on k.rank = 1 and k.title_normalised is not distinct from p.title_normalised
                and k.naics_sector is not distinct from p.naics_sector
            where k.onet_soc_code is distinct from p.onet_soc_code
                or k.probability is distinct from p.classification_confidence"""
        ).fetchall()[0][0]
        assert mismatched == 0
        shape = con.execute(
            f"""select count(*), min(n), max(n), max(total), bool_and(ordered)
            from (select count(*) as n, sum(probability) as total,
                    bool_and(coalesce(probability <= prev, true)) and max(rank) = count(*)
                        as ordered
                from (select *, lag(probability) over (
                        partition by title_normalised, naics_sector order by rank) as prev
                    from {table})
                group by title_normalised, naics_sector)"""
        ).fetchall()[0]
        titles, fewest, most, total, ordered = shape
        assert titles > 0 and fewest == most == MAX_TOP
        assert total <= 1.0001 and ordered
        unclassified = con.execute(
            f"""select count(*) from intermediate.int_postings__classified as c
            join staging.stg_postings__postings as s using (posting_row_id)
            join {table} as k on k.title_normalised is not distinct from s.title_normalised
                and k.naics_sector is not distinct from s.naics_sector
            where c.onet_soc_code is null"""
        ).fetchall()[0][0]
        assert unclassified == 0, "an unclassified title has no candidates"
