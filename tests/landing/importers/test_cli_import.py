"""`forecourt import` writes the landing files and says plainly what is wrong with a bad path."""

from orchestration.cli import main


def test_import_writes_landing_files_and_the_report(forecourt_home, car_sales_csv, capsys):
    assert main(["import", "car-sales", str(car_sales_csv)]) == 0
    assert (forecourt_home / "landing" / "import_report.json").exists()
    assert len(list((forecourt_home / "landing" / "sales").glob("*.csv"))) == 4
    assert "mojibake in Engine" in capsys.readouterr().out


def test_import_of_a_missing_file_names_it_and_exits_2(forecourt_home, tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    assert main(["import", "car-sales", str(missing)]) == 2
    assert f"{missing}: no such file" in capsys.readouterr().err


def test_import_of_mintclassics_from_a_file_instead_of_a_folder_is_refused(
    forecourt_home, car_sales_csv, capsys
):
    assert main(["import", "mintclassics", str(car_sales_csv)]) == 2
    assert "not a folder" in capsys.readouterr().err
