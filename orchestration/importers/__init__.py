"""Importers: turn real exports (Car Sales, Mint Classics) into what the platform ingests."""

from orchestration.importers.car_sales import import_car_sales
from orchestration.importers.cleaning import ExportError
from orchestration.importers.mintclassics import import_mintclassics
from orchestration.importers.report import ImportReport

IMPORTERS = {"car-sales": import_car_sales, "mintclassics": import_mintclassics}

__all__ = ["IMPORTERS", "ExportError", "ImportReport", "import_car_sales", "import_mintclassics"]
