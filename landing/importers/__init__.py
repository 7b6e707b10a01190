"""Importers: turn real exports (Car Sales, Mint Classics) into what the platform ingests."""

from landing.importers.car_sales import import_car_sales
from landing.importers.cleaning import ExportError
from landing.importers.mintclassics import import_mintclassics
from landing.importers.report import ImportReport

IMPORTERS = {"car-sales": import_car_sales, "mintclassics": import_mintclassics}

__all__ = ["IMPORTERS", "ExportError", "ImportReport", "import_car_sales", "import_mintclassics"]
