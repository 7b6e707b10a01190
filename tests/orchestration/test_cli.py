"""Wrong arguments get a clear message and exit code 2, never a stack trace."""

from orchestration.cli import main


def test_materialize_without_landing_files_says_what_to_run(forecourt_home, capsys):
    assert main(["materialize"]) == 2
    assert "forecourt generate" in capsys.readouterr().err


def test_a_malformed_partition_day_is_named(forecourt_home, capsys):
    (forecourt_home / "landing" / "sales").mkdir(parents=True)
    assert main(["materialize", "--partition", "2024-13-01"]) == 2
    assert "'2024-13-01' is not a date" in capsys.readouterr().err


def test_partition_and_range_together_are_refused(forecourt_home, capsys):
    assert main(["materialize", "--partition", "2024-01-01", "--from", "2024-01-01"]) == 2
    assert "not both" in capsys.readouterr().err


def test_a_range_backwards_is_refused(forecourt_home, capsys):
    assert main(["materialize", "--from", "2024-02-01", "--to", "2024-01-01"]) == 2
    assert "after" in capsys.readouterr().err


def test_generate_rejects_zero_days(capsys):
    assert main(["generate", "--days", "0"]) == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_the_contract_doc_is_generated_from_the_code(capsys):
    from landing.home import REPO_ROOT

    main(["contract"])
    assert (
        capsys.readouterr().out.strip() == (REPO_ROOT / "docs/data_contract.md").read_text().strip()
    )
