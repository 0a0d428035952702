"""Every reliability/security case: input, expected outcome, and the test that proves it.

``docs/reliability.md`` is generated from this table (``python -m tests.reliability.cases``);
tests/reliability/test_cases_doc.py fails when a named test is missing or the doc is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"


class Case(NamedTuple):
    area: str
    input: str
    expected: str
    test: str  # path::function (parametrised ids in brackets are informative only)


N, F, P, S = "network", "files", "properties", "security"
PR = "processes"
C = "cli"
D = "real data"
A = "tests/acceptance/test_shared_real_recipe.py::"
R = "tests/reliability/"
T = "tests/cli/"
# Section headings where capitalising the area name is not enough
TITLES = {C: "CLI", D: "Real data"}
CASES: list[Case] = [
    # network -----------------------------------------------------------------------------
    Case(N, "connection refused", "retried with backoff (0.01, 0.02 s), then FetchError 'connection refused after 3 attempt(s)', transient; no raw file", R + "test_network.py::test_connection_refused_is_retried_then_reported_transient"),
    Case(N, "DNS failure (nonexistent.invalid)", "FetchError 'DNS lookup failed after 1 attempt(s)', transient, not retried (the resolver already retried; offline a retry only cost time); no raw file", R + "test_network.py::test_dns_failure_is_named_transient_and_not_retried"),
    Case(N, "server accepts but never answers", "each attempt gives up after timeout_s: 'read timed out after 2 attempt(s)', transient", R + "test_network.py::test_read_timeout_when_server_never_answers"),
    Case(N, "slow drip (1 byte / 0.1 s, per-read timeout never trips)", "cut at max_download_s: 'download took longer than 1s', transient, partial file kept (FIXED: used to hang until done)", R + "test_network.py::test_slow_drip_is_cut_at_the_download_deadline"),
    Case(N, "chunked body cut mid-chunk", "'download interrupted', transient, partial file kept", R + "test_network.py::test_chunked_body_cut_mid_chunk_is_interrupted_and_kept"),
    Case(N, "Content-Length body cut short", "'truncated'/'interrupted', partial file kept", "tests/ingest/test_fetch.py::test_truncated_download_fails_and_keeps_partial_file"),
    Case(N, "403 (BLS without contact User-Agent)", "one request, not retried, not transient; message says set OUTLOOK_CONTACT_EMAIL", R + "test_network.py::test_403_is_not_retried_and_says_why"),
    Case(N, "404", "one request, 'HTTP 404 NOT FOUND after 1 attempt', not transient, nothing kept", R + "test_network.py::test_404_fails_at_once_and_keeps_nothing"),
    Case(N, "429 without Retry-After", "exponential backoff, then success", R + "test_network.py::test_429_without_retry_after_backs_off"),
    Case(N, "429 Retry-After: seconds", "waits exactly that long, then success", "tests/ingest/test_fetch.py::test_honours_retry_after"),
    Case(N, "429 Retry-After: HTTP-date (future / past), over the cap, garbage", "waits until the date / 0 s / max_retry_after_s / backoff", R + "test_network.py::test_429_retry_after_forms"),
    Case(N, "429 that never clears", "'HTTP 429 ... after 3 attempt(s)', transient (a later run retries; the task does not)", R + "test_network.py::test_429_that_never_clears_fails_transient"),
    Case(N, "503, 500 then 200", "retried and succeeded (attempts=3)", "tests/ingest/test_fetch.py::test_retries_5xx_then_succeeds"),
    Case(N, "502, 504 then 200", "retried with doubling waits and succeeded", R + "test_network.py::test_502_504_then_success_doubles_the_wait"),
    Case(N, "unsolicited 304", "FetchError 'HTTP 304', not transient", R + "test_network.py::test_unsolicited_304_is_an_error"),
    Case(N, "validators point at a deleted raw file", "plain GET (no If-None-Match), downloaded", R + "test_network.py::test_previous_raw_file_gone_means_full_get"),
    Case(N, "200 carrying an HTML/XML error page, CSV served as zip/xlsx, text as JSON", "FetchError naming URL and reason, body kept for inspection, not transient", R + "test_network.py::test_200_with_the_wrong_body_is_rejected_and_kept"),
    Case(N, "changed file at the same URL mid-run (network)", "both versions kept read-only at different paths; same bytes again reuse the first", R + "test_network.py::test_changed_file_at_same_url_keeps_both_immutable"),
    Case(N, "changed file at the same URL (mirror)", "both kept", "tests/ingest/test_fetch.py::test_changed_file_same_day_keeps_both"),
    Case(N, "503 forever, max_attempts 10, backoff 0.4 s, retry_budget_s 1", "2 requests (waits 0.4; 0.8 more would pass the budget), 'after 2 attempt(s) (retry budget of 1s spent)', transient", R + "test_network.py::test_retry_budget_ends_the_retries_before_max_attempts"),
    Case(N, "429 with Retry-After: 100 and a 30 s budget", "not waited for: one request, 'after 1 attempt(s) (retry budget ...)'", R + "test_network.py::test_retry_after_beyond_the_budget_is_not_waited_for"),
    Case(N, "503 forever through the ingest flow (max_attempts 3)", "3 requests in all, source failed naming URL and reason, fetch recorded failed (FIXED: the task retried the fetch twice more after 30 s and 120 s: up to 12 requests per file)", R + "test_offline.py::test_a_failing_file_gets_max_attempts_requests_in_all"),
    Case(N, "a second file on a host whose DNS lookup failed this run", "fails at once, no request: '<url>: DNS lookup failed for <host> earlier in this run: not tried again'; other hosts unaffected; the next run asks again", R + "test_network.py::test_unresolvable_host_fails_the_rest_of_the_run_at_once"),
    Case(N, "a second file on a host that refused connections this run", "the first file paid the retries (0.01, 0.02 s), the second fails at once", R + "test_network.py::test_refused_host_is_retried_once_per_run_then_failed_at_once"),
    Case(N, "a file answering 503 until its retries are spent, then another file on that host", "fetched: HTTP errors never mark a host down", R + "test_network.py::test_http_errors_do_not_trip_the_host_breaker"),
    Case(N, "offline with every API key set: `outlook ingest adzuna usajobs jolts`, hosts *.invalid / one closed loopback port", "exit 1 in < 30 s (measured 5.7 s / 11.3 s; 18.8 s with the temporary server's start, offline for real), one `error: source X failed: <url>: DNS lookup failed` / `connection refused` line each, no traceback, no key in the output (FIXED: 533 s: 4 attempts x 3 task tries, sources one after another)", R + "test_offline.py::test_offline_apis_with_keys_fail_within_30_s_one_line_each"),
    Case(N, "good download, then a 503 run, then a run within the hour (download cache on)", "loaded / failed / unchanged: the third run asks upstream again; a failure is never cached", R + "test_offline.py::test_a_failed_download_is_not_served_from_the_download_cache"),
    Case(N, "sources on two hosts, two on one of them", "hosts fetched at the same time, one request at a time per host, loads one at a time in load order", R + "test_offline.py::test_hosts_are_fetched_at_once_and_each_host_one_file_at_a_time"),
    Case(N, "jolts / usajobs / adzuna with no recordings in the mirror and no keys", "each logged at INFO as 'skipped <name>: <why>', exit 0, no ERROR line (FIXED: ERROR 'Task run ... Finished in state Failed(... SourceNotInMirror)')", R + "test_offline.py::test_skipped_sources_are_logged_as_skipped_not_as_failed_tasks"),
    # processes ---------------------------------------------------------------------------
    Case(PR, "SIGKILL of `outlook refresh` (sample mirror, no PREFECT_API_URL) once its flow runs", "the Prefect server the command started (prefect_api: the CLI never lets Prefect start its own temporary one) and its watchdog are gone 0.5 s later; nothing with the server's port is left (FIXED: the server ran on, 27-49% CPU, 260 MB)", R + "test_orphans.py::test_sigkill_of_refresh_takes_its_prefect_server_down"),
    Case(PR, "SIGKILL of `outlook serve --port N` while serving, then `outlook serve --port N` again", "`prefect server start` and its watchdog gone 0.5 s later, port N free; the second serve starts and stops on Ctrl-C (FIXED: port N stayed bound, the restart failed)", R + "test_orphans.py::test_sigkill_of_serve_frees_its_port_for_the_next_serve"),
    Case(PR, "`outlook serve` on a new server", "creates the global concurrency limit `outlook-writer` with 1 active slot; the deployment run takes it and gives it back (active_slots 0 after), and leaves its summary, loads and checks artifacts", "tests/flows/test_server_integration.py::test_serve_runs_daily_postings_deployment_and_stops_cleanly"),
    Case(PR, "a refresh while another writer holds the `outlook-writer` slot", "waits up to max(wait, 5 s), then WarehouseBusy naming the limit, nothing written; once the slot is free the same refresh succeeds and releases it", "tests/flows/test_concurrency.py::test_a_refresh_waits_for_the_slot_and_releases_it"),
    Case(PR, "`outlook-writer` changed by hand to 3 slots, disabled", "the next `outlook serve` sets it back to 1 active slot and says so", "tests/flows/test_concurrency.py::test_ensure_creates_one_slot_and_resets_a_changed_limit"),
    Case(PR, "a refresh over the demo mirror", "a markdown artifact (sources, checks, snapshot, Data Docs and dashboard links) and two table artifacts (loads, checks) on its flow run, read back through the Prefect API (FIXED: the run summary existed only in logs)", "tests/flows/test_refresh.py::test_a_demo_refresh_leaves_a_summary_and_tables_as_artifacts"),
    Case(PR, "SIGKILL of a process whose watched child has children of its own (own process group / the parent's)", "child, grandchildren and watchdog gone within a second (SIGTERM, then SIGKILL after the grace)", R + "test_orphans.py::test_watchdog_takes_child_and_grandchildren_down_with_a_killed_parent"),
    # files -------------------------------------------------------------------------------
    Case(F, "Indeed: ragged rows (long/short), repeated header, future/pre-1990 date, thousands separator, footnote marker, cp1252, UTF-16", "source fails: SourceFormatError naming file, row, column and reason (FIXED: surplus fields were dropped, any date accepted)", R + "test_files.py::test_indeed_bad_file_fails_naming_row_and_reason"),
    Case(F, "Indeed: empty / header-only file", "source fails: 'empty file' / 'no data rows'", "tests/transforms/test_indeed.py::test_empty_and_header_only_files_fail"),
    Case(F, "Indeed: BOM + CRLF", "loaded", "tests/transforms/test_indeed.py::test_bom_and_crlf_are_accepted"),
    Case(F, "Indeed: renamed / missing column", "SchemaDriftError naming the column", "tests/transforms/test_indeed.py::test_missing_column_is_named"),
    Case(F, "Indeed: extra columns", "ignored, values unchanged", R + "test_files.py::test_indeed_extra_columns_are_ignored"),
    Case(F, "Indeed: 10x larger file (42,000 rows), then the same file again", "loaded; meta.loads read = loaded + quarantined; second load 'unchanged' (0 rows)", R + "test_files.py::test_indeed_10x_file_loads_and_counts_reconcile"),
    Case(F, "Indeed: future date after a good load", "load fails and is recorded; previous vintage stays (no 'superseded' freeze)", R + "test_files.py::test_indeed_bad_file_is_recorded_failed_and_warehouse_kept"),
    Case(F, "OEWS: footnote marker in a number, repeated header row, Unicode digits in OCC_CODE", "source fails naming archive [member] [sheet], row and column", R + "test_files.py::test_oews_bad_cell_fails_naming_member_row_column"),
    Case(F, "OEWS: empty file", "'not a readable zip archive'", R + "test_files.py::test_oews_empty_file_fails"),
    Case(F, "OEWS: truncated zip / not a zip", "'not a readable zip archive'", "tests/transforms/test_oews.py::test_not_a_zip_and_truncated"),
    Case(F, "OEWS: renamed / missing columns", "SchemaDriftError naming them", "tests/transforms/test_oews.py::test_schema_drift_names_missing"),
    Case(F, "OEWS: thousands separator in text cell, extra column, ragged (short) row", "loaded; short row's wages NULL and flagged '*', never zero", R + "test_files.py::test_oews_tolerated_variations"),
    Case(F, "OEWS: 10x larger sheet", "every row parsed", R + "test_files.py::test_oews_10x_archive_parses_every_row"),
    Case(F, "Projections: footnote marker in a number, repeated header row, fullwidth digits in code", "source fails naming file [sheet], row and column", R + "test_files.py::test_projections_bad_cell_fails_naming_sheet_row_column"),
    Case(F, "Projections: empty or truncated xlsx", "'not a readable xlsx workbook' naming the file", R + "test_files.py::test_projections_empty_or_truncated_workbook"),
    Case(F, "Projections: renamed / missing columns", "SchemaDriftError", "tests/transforms/test_projections.py::test_schema_drift"),
    Case(F, "Projections: footnoted header, thousands separator, extra column", "loaded with the right values", R + "test_files.py::test_projections_tolerated_variations"),
    Case(F, "Projections: 10x larger table", "every row parsed", R + "test_files.py::test_projections_10x_table"),
    Case(F, "Postings: UTF-16 with BOM", "read (FIXED: was read as cp1252 and failed with NUL-riddled column names)", R + "test_files.py::test_postings_utf16_with_bom_is_read"),
    Case(F, "Postings: UTF-16 without BOM", "fails: 'NUL bytes in the header line'", R + "test_files.py::test_postings_utf16_without_bom_fails_clearly"),
    Case(F, "Postings: empty file", "fails: 'empty file'", R + "test_files.py::test_postings_empty_file_fails"),
    Case(F, "Postings: truncated gzip", "fails: 'truncated or corrupt gzip'", "tests/transforms/test_postings_io.py::test_truncated_gzip"),
    Case(F, "Postings: cp1252 / latin-1", "decoded by fallback", "tests/transforms/test_postings_io.py::test_latin1_fallback"),
    Case(F, "Postings: missing required columns", "SchemaDriftError", "tests/transforms/test_postings_io.py::test_missing_required_columns"),
    Case(F, "Postings: salary '85,000', '85000*', '85k DOE', extra columns", "numbers read; unreadable amount kept as salary text (FIXED: silently NULL)", R + "test_files.py::test_postings_salary_numbers_keep_separators_and_footnotes"),
    Case(F, "Postings: BOM, CRLF, ragged row, repeated header, date 2099 / 1989, no title; same file twice", "7 read = 2 loaded + 5 quarantined with per-row reasons; second load 'unchanged'", R + "test_files.py::test_postings_messy_drop_reconciles_in_meta_loads"),
    Case(F, "Postings: 10x larger sample drop (15,000 rows)", "read = loaded + quarantined, 10x the sample's counts", R + "test_files.py::test_postings_10x_sample_drop_reconciles"),
    # properties --------------------------------------------------------------------------
    Case(P, "any cell value into parse_soc_code / parse_onet_soc_code / parse_naics_code / naics_sector", "never raises; result None or an ASCII code (FIXED: \\d accepted Unicode digits)", R + "test_properties.py::test_code_parsers_never_raise_and_emit_ascii_codes"),
    Case(P, "code parser output fed back in", "idempotent", R + "test_properties.py::test_code_parsers_are_idempotent"),
    Case(P, "SOC spellings (dash, en dash, minus, space, none, .00)", "round-trip to 'NN-NNNN' / 'NN-NNNN.NN'", R + "test_properties.py::test_soc_spellings_round_trip"),
    Case(P, "NAICS codes of every sector, also as floats", "round-trip; sector preserved", R + "test_properties.py::test_naics_codes_round_trip_and_keep_their_sector"),
    Case(P, "arbitrary salary text / numbers", "never reaches the catch-all; min <= mid <= max", R + "test_properties.py::test_salary_parser_never_needs_its_safety_net"),
    Case(P, "'$lo - $hi per year'", "round-trips exactly", R + "test_properties.py::test_salary_range_round_trips"),
    Case(P, "lists of salary texts", "parse_salaries == parse_salary row by row", R + "test_properties.py::test_vectorised_salaries_match_scalar"),
    Case(P, "arbitrary title values", "output [a-z0-9 ] only, reason iff empty, idempotent", R + "test_properties.py::test_title_normaliser_output_alphabet_and_reason"),
    Case(P, "title case / padding variants", "same normalised title", R + "test_properties.py::test_title_normaliser_ignores_case_and_padding"),
    # security ----------------------------------------------------------------------------
    Case(S, "fake key in env and in app_id/app_key of a failing request, DEBUG logging on", "key absent from exception, logs, meta tables, raw paths (FIXED: urllib3 DEBUG request lines carried it)", R + "test_security.py::test_api_key_never_reaches_errors_logs_tables_or_paths"),
    Case(S, "BLS error payload echoing the registration key", "key masked in SourceFormatError (32-hex keys even without `secrets`)", R + "test_security.py::test_jolts_errors_do_not_echo_the_registration_key"),
    Case(S, "Secret block does not exist on the configured Prefect server", "None: the source is skipped as not configured, as without its environment variable", "tests/ingest/test_secrets.py::test_secret_block_is_read_from_the_configured_server"),
    Case(S, "Secret block on a PREFECT_API_URL where nothing listens (URL with user:password)", "SecretUnavailable naming the block, the server (credentials stripped) and the environment variable to set; the source fails with it instead of being skipped as 'no key' (FIXED: every exception read as 'no key')", "tests/ingest/test_secrets.py::test_unreachable_server_is_an_error_naming_block_and_server"),
    Case(S, "Secret read fails with a server error whose text echoes the value", "only the exception type is reported, never its text", "tests/ingest/test_secrets.py::test_a_failed_read_never_quotes_the_response"),
    Case(S, "a posting API whose key's Secret block cannot be read", "its fetch step ends 'failed' with the block's message (one line, no task traceback); the other sources run", "tests/ingest/test_secrets.py::test_a_source_whose_key_cannot_be_read_fails_with_the_reason"),
    Case(S, "hostile run id / source / URL into meta bookkeeping", "stored verbatim as values; tables intact", R + "test_security.py::test_bookkeeping_binds_hostile_values"),
    Case(S, "outlook trends --role / --industry \"x'; drop table marts.role_outlook; --\" (snapshot in a folder with a quote)", "unknown role (exit 2) / no outlook (exit 1); a role equal to the string is returned; table intact", R + "test_security.py::test_trends_binds_hostile_role_and_industry"),
    Case(S, "outlook ingest with a hostile source name", "exit 2 'unknown source', warehouse not created", R + "test_security.py::test_ingest_rejects_hostile_source_name"),
    Case(S, "OEWS zip with '../../evil', absolute and backslash member names", "read in memory only; nothing written anywhere", R + "test_security.py::test_oews_zip_slip_members_are_read_in_memory_only"),
    Case(S, "O*NET zip with absolute and backslash member names", "read in memory only; nothing written", R + "test_security.py::test_onet_zip_slip_members_never_touch_disk"),
    Case(S, "URLs with %2e%2e, ..%2f, %00", "refused before any path is built", R + "test_security.py::test_encoded_traversal_urls_are_refused"),
    Case(S, "xlsx with billion-laughs DTD in sheet XML / sharedStrings (projections)", "SourceFormatError 'unrecognized entity' in < 2 s, no expansion", R + "test_security.py::test_projections_xlsx_entity_expansion_fails_fast"),
    Case(S, "OEWS member xlsx with billion-laughs DTD", "SourceFormatError naming the member, < 2 s", R + "test_security.py::test_oews_member_entity_expansion_fails_fast"),
    Case(S, "published snapshot", "file mode 0444; open_snapshot is read_only (writes raise)", R + "test_security.py::test_snapshot_is_read_only_on_disk_and_when_opened"),
    # cli ---------------------------------------------------------------------------------
    Case(C, "`outlook build && outlook publish` (the README's real-data sequence)", "snapshot, postings lake, exports and dashboard all written, carrying the snapshot's postings; both runs in meta.runs (FIXED: snapshot only, every role page said 'No postings')", T + "test_publish_cli.py::test_build_then_publish_writes_snapshot_lake_exports_and_dashboard"),
    Case(C, "CLI build + publish vs refresh on the same sample data", "identical export versions, dashboard pages (byte for byte) and lake partitions: one publish_all", "tests/flows/test_refresh.py::test_cli_build_and_publish_publish_what_refresh_publishes"),
    Case(C, "`outlook publish` after a mart fails its gate", "exit 1 naming the gate; no snapshot, no dashboard; run recorded failed", T + "test_publish_cli.py::test_publish_refuses_a_failed_gate_and_records_the_failure"),
    Case(C, "`outlook publish` without a warehouse", "exit 2, one line; no warehouse created", T + "test_publish_cli.py::test_publish_without_a_warehouse_is_one_line_exit_2"),
    Case(C, "missing posting path", "exit 2 before the lock is taken; no warehouse created", T + "test_ingest_cli.py::test_missing_posting_path_is_exit_2_and_writes_nothing"),
    Case(C, "validate / publish / build / ingest / classify while a process holds the writer lock and a DuckDB write connection", "exit 3, one line naming pid, command and flow run, no traceback (FIXED: DuckDB IOException traceback, exit 1)", T + "test_busy_warehouse_cli.py::test_writers_and_readers_exit_3_naming_the_holder_in_one_line"),
    Case(C, "`outlook status` while the warehouse is being written", "exit 0: the published snapshot's run and marts, plus one `note:` line naming the writer (FIXED: traceback, exit 1)", T + "test_busy_warehouse_cli.py::test_status_shows_the_snapshot_and_who_is_writing"),
    Case(C, "a second `outlook refresh` while one runs", "exit 3 in ~0.1 s, one line, no traceback: the lock is checked before Prefect starts (FIXED: 13 s idle / 37 s loaded, with a traceback)", T + "test_busy_warehouse_cli.py::test_second_refresh_fails_fast_before_prefect_starts"),
    Case(C, "a second refresh against a real running refresh flow, then with --wait", "exit 3 naming the flow run in under 8 s; --wait queues and succeeds", R + "test_kill_and_concurrency.py::test_second_refresh_exits_3_naming_the_running_flow_run_then_waits_its_turn"),
    Case(C, "`outlook publish --wait 1.5` while busy", "waits 1.5 s, then exit 3", T + "test_busy_warehouse_cli.py::test_publish_wait_gives_up_after_the_wait"),
    Case(C, "a DuckDB connection held outside the pipeline (a shell)", "status shows the snapshot naming that pid; validate / classify exit 3 naming it", T + "test_busy_warehouse_cli.py::test_a_duckdb_connection_outside_the_pipeline_is_named_too"),
    Case(C, "a reader holds the file when a writer connects", "the writer retries DuckDB's lock for 5 s and succeeds", T + "test_busy_warehouse_cli.py::test_a_writer_outlasts_a_reader_briefly_holding_the_file"),
    Case(C, "WarehouseBusy, missing snapshot, SchemaDriftError, SourceFormatError with a newline", "one line, exit 3 / 2 / 1 / 1", T + "test_cli_output.py::test_expected_errors_map_to_one_line_and_an_exit_code"),
    Case(C, "an expected error raised inside a command; OUTLOOK_DEBUG=1", "`error: ...` on stderr, exit 1, no traceback; with OUTLOOK_DEBUG the exception propagates", T + "test_cli_output.py::test_main_turns_an_expected_error_into_one_line_without_traceback"),
    Case(C, "a bug (KeyError, RuntimeError)", "not swallowed: the traceback shows", T + "test_cli_output.py::test_a_bug_is_not_an_expected_error"),
    Case(C, "message with [oesm24in4/natsector_M2024_dl.xlsx], over 120 characters, COLUMNS=80", "kept whole in the table (folded) and on the stderr line (FIXED: Rich dropped the brackets as markup; cut at 120)", T + "test_cli_output.py::test_outcomes_keep_brackets_and_full_length_on_a_narrow_terminal"),
    Case(C, "posting file whose every row is quarantined; the same file again", "exit 1, load 'quarantined' with counts and the commonest reason; re-read (not 'unchanged'), quarantine rows replaced (FIXED: 'loaded', exit 0)", T + "test_ingest_cli.py::test_a_file_with_every_row_quarantined_fails_with_its_counts"),
    Case(C, "CLI ingest, build, publish; a run a kill left 'running'", "each recorded in meta.runs; the next CLI writer marks the killed run crashed (FIXED: only refresh was recorded)", T + "test_publish_cli.py::test_cli_writers_mark_a_killed_run_crashed"),
    Case(C, "CLI ingest of a good posting file", "one meta.runs row, succeeded, whose run id the loads carry", T + "test_ingest_cli.py::test_cli_ingest_is_recorded_in_meta_runs"),
    Case(C, "status: last fetch failed after a good load; two OEWS releases in one table", "'failed' with its message (one whole line) beside the last good load; each release counts its own rows (FIXED: 'loaded'; every release counted in each row)", T + "test_cli_output.py::test_status_counts_each_release_and_shows_a_failed_last_attempt"),
    Case(C, "classify --file titles =HYPERLINK(...), +cmd|..., -2+3, @SUM, leading tab / CR", "cells prefixed with ' (the exports' rule), CRLF rows so a CR stays quoted (FIXED: written as formulas)", T + "test_classify_cli.py::test_file_mode_escapes_formula_cells"),
    Case(C, "classify --file output columns", "runner-up code and confidence, method and reason included, as the README promises (FIXED: dropped)", T + "test_classify_cli.py::test_file_mode_keeps_input_order"),
    Case(C, "`OUTLOOK_DB=other.duckdb outlook refresh` after the demo was published into the default folder (the clobbering sequence)", "exit 1, one line naming the folder's warehouse and --publish-dir / OUTLOOK_PUBLISH_DIR, no traceback; every published file and `latest` link unchanged; the other warehouse built, its run 'failed' with the reason; `trends` with that OUTLOOK_DB exit 2 (FIXED: replaced the demo's snapshot and every role's latest export with one holding no postings)", T + "test_publish_guard_cli.py::test_another_warehouse_cannot_clobber_the_demo"),
    Case(C, "publish of a warehouse with no postings into a folder handed over (owner.json deleted)", "refused 'holds no postings where the published one holds N' unless --allow-shrink; files unchanged", "tests/publish/test_guard.py::test_a_shrinking_publish_is_refused_unless_allowed"),
    Case(C, "a publish while another publish holds the folder's lock", "WarehouseBusy 'publish folder DIR is being written by ...' before anything is written", "tests/publish/test_guard.py::test_one_publish_per_folder_at_a_time"),
    Case(C, "the published snapshot opened by DuckDB 1.5.x (what BI drivers and CLIs bundle)", "opens; marts.role_outlook reads with every column's comment (FIXED: DuckDB 2.0's storage format, 'version number 69', refused)", "tests/publish/test_snapshot.py::test_duckdb_1x_reads_the_published_snapshot_with_its_comments"),
    Case(C, "published mart text starting with = + - @, tab or CR in the CSV tables", "the CSV cell is prefixed with '; the Parquet file keeps the text as it was", "tests/publish/test_tables.py::test_csv_only_for_small_tables_and_formulas_are_inert"),
    # real data: what main printed on ../shared, and what holds now ------------------------
    Case(D, "H-1B file with only a year per row (29,035 of 30,000 rows dated 1 January 2025)", "posted_date_precision 'year' (profile [dates] precision, or detected from the values); counted in marts.role_industry_yearly, never in a month; evidence says how many were left out (FIXED: a January spike and 'growing +5,024%' for Software Engineer)", A + "test_year_only_dates_make_no_monthly_spike"),
    Case(D, "year-, month- and day-only date values without a declared precision", "each value's precision detected ('2025' year, '2025-03' / '03/2025' month)", "tests/transforms/test_postings_io.py::test_date_precision_is_detected_per_value"),
    Case(D, "40 year-only filings among day-dated postings", "January unchanged, yearly mart counts them, outlook evidence names 40 left out", "tests/sql/test_role_marts.py::test_year_only_dates_count_in_years_not_months"),
    Case(D, "2 postings (Performance Improvement Director on real data)", "insufficient data with no trend, interval or seasonal claim (FIXED: printed 'trend +5.7%/yr (90% CI -6.7% to +19.8%), 24 months, seasonally adjusted')", A + "test_thin_evidence_prints_no_trend"),
    Case(D, "a window change on 24 vs 60 postings; a slope on 24 postings; a current window of 24 after a busy year", "NULL with the reason in measures_withheld (minimum [label] min_postings in each count)", "tests/transforms/test_trends.py::test_changes_need_min_postings_in_both_counts"),
    Case(D, "posting data with a gap (a 2016 file and a feed from June 2025)", "windows reaching into uncovered months are NULL, the slope is fitted on the covered run only (FIXED: zero-filled years read as a huge rise)", "tests/transforms/test_trends.py::test_months_the_data_do_not_cover_are_not_zeros"),
    Case(D, "growth label from official figures while the postings moved +4% and the interval spans zero", "'stable', with the reason as a label_support evidence item ([label.support] in outlook_rules.toml)", "tests/transforms/test_outlook_rules.py::test_official_evidence_alone_cannot_make_a_growth_label"),
    Case(D, "every label of every role on the real recipe", "no growth/decline label without min_postings and postings support; no percent change on fewer than min_postings in a count", A + "test_no_label_or_trend_the_rules_reject"),
    Case(D, "'all industries' row without OEWS (the sector files hold no cross-industry rows) beside M2024 sector rows", "as-of and source lines summarise every row shown (FIXED: 'OEWS n/a', 'no OEWS release', 'OEWS None')", A + "test_as_of_lines_agree_with_the_rows"),
    Case(D, "the README sequence ingest postings -> build -> publish", "exports and dashboard match the snapshot (FIXED: every role page said 'No postings for this role')", A + "test_exports_and_dashboard_match_the_snapshot"),
    Case(D, "the three real posting files", "rows read = loaded + quarantined per file, equal to the records in each file", A + "test_counts_reconcile_per_file"),
    Case(D, "'999,999,999 per hour' beside a clean salary", "kept in fct_postings as flagged; role_postings has_salary false; the median ignores it (FIXED: fed the medians)", "tests/sql/test_postings_models.py::test_a_flagged_salary_stays_in_facts_but_feeds_no_median"),
    Case(D, "a 1,000,000-character title", "quarantined: 'title_raw has N characters (at most 500)' (FIXED: stored whole, silently unclassified)", "tests/transforms/test_postings_io.py::test_a_megabyte_title_is_quarantined_not_stored"),
    Case(D, "projections workbook with 'Occupation type' or the matrix code column renamed", "SchemaDriftError naming the missing column and listing the header found (FIXED: 'no header row found')", "tests/transforms/test_projections.py::test_a_renamed_header_anchor_is_named"),
    Case(D, "H-1B filings of hospital groups (Prime Healthcare Anaheim, Cleveland Clinic Foundation, University Hospitals)", "NAICS 62 from the employer seeds (prefix rows) and institution words; 'Cardinal Health' stays unknown (FIXED: industry unknown)", "tests/transforms/test_industry.py::test_hospital_employers_get_their_industry"),
]  # fmt: skip

GAPS = [
    "Headers dripped slowly: max_download_s bounds the body only; a server that drips the "
    "status line/headers is bounded by timeout_s per read, not in total.",
    "Most fetch cases run against the fetch layer only; through the flow: a 503 file, "
    "offline APIs, skips and parallel hosts (test_offline.py), and HTML/empty/truncated "
    "files through refresh (tests/flows).",
    "A watchdog that is itself SIGKILLed (alone, not with its parent) leaves its server "
    "running; flow-run subprocesses of a SIGKILLed `outlook serve` are not watched.",
    "API keys (BLS, USAJOBS, Adzuna) are read from the environment or Prefect Secret "
    "blocks (tests/ingest/test_secrets.py against a temporary Prefect API, and a closed "
    "port for an unreachable one); no live API "
    "was reachable here, so key rejection by the real services is tested only against "
    "responses written from their documentation.",
    "Wrong-encoding and ragged-row cases do not apply to xlsx sources (binary, rectangular).",
]


BUDGET = [
    "Every upstream file gets one retry budget, spent in the fetch layer and nowhere else",
    "(`outlook/ingest/retry_policy.py`): at most `max_attempts` requests (4; the tests use 3)",
    "within `retry_budget_s` seconds of requests plus waits (120 s, env",
    "`OUTLOOK_RETRY_BUDGET_S`). The flows' fetch and load tasks have `retries=0`",
    "(`TASK_RETRIES`), so a file that always fails is requested exactly `max_attempts` times",
    "per run (it used to be up to 4 x 3 = 12). A paged API spends one budget per page. A host",
    "that could not be reached is not asked again in the same run (the host breaker); the",
    "next scheduled run asks again.",
]

WRITERS = [
    "The writer lock beside the warehouse (`outlook/lock.py`) guards every writing command,",
    "with or without a Prefect server. On a server, the writer flows also take the one slot",
    "of the global concurrency limit `outlook-writer` before the lock (`flows/concurrency.py`:",
    "`refresh`, and the flows `outlook ingest` runs), so the server shows which run holds it.",
    "`outlook serve` creates the limit (and sets it back to 1 active slot if it was changed).",
    "Worker setups (`prefect.yaml`, a process work pool) create it once:",
    "`prefect gcl create outlook-writer --limit 1`; start workers with `--limit 1`. Without",
    "the limit the flows run under the lock alone. `outlook build`, `validate` and `publish`",
    "do not talk to a server: the lock alone guards them.",
]


def render() -> str:
    lines = [
        "# Reliability and security cases",
        "",
        "Generated from `tests/reliability/cases.py` by `python -m tests.reliability.cases`;",
        "`tests/reliability/test_cases_doc.py` fails when this file is stale or a test is missing.",
        "FIXED marks a case whose test found a bug that was then fixed.",
        "",
        "## One retry budget per file",
        "",
        *BUDGET,
        "",
        "## One writer at a time",
        "",
        *WRITERS,
        "",
    ]
    for area in (N, PR, F, P, S, C, D):
        lines += [
            f"## {TITLES.get(area, area.capitalize())}",
            "",
            "| input | expected outcome | test |",
            "|---|---|---|",
        ]
        for case in CASES:
            if case.area == area:
                cells = [c.replace("|", "\\|") for c in (case.input, case.expected)]
                lines.append(f"| {cells[0]} | {cells[1]} | `{case.test}` |")
        lines.append("")
    lines += ["## Known gaps", ""] + [f"- {gap}" for gap in GAPS] + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
