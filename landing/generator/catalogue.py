"""The vehicle catalogue: real makes, models, trims and body styles the demo dealers trade.

Written as data so a reader can check it at a glance. msrp is a rough 2024 US base price of the
first trim; popularity is a relative share of retail demand; trend is the yearly log-change of
that share, so EVs and small pickups gain while sedans fade, as they did in the US market.
"""

from __future__ import annotations

from typing import NamedTuple


class ModelSpec(NamedTuple):
    """One model line. fuel is g (gasoline), h (hybrid) or e (electric)."""

    name: str
    body: str
    msrp: int
    popularity: float
    trend: float
    fuel: str
    trims: tuple[str, ...]
    since: int = 2005  # first model year, so no used unit predates the model


class MakeSpec(NamedTuple):
    """A make and its world manufacturer identifier, the first three characters of its VINs."""

    name: str
    wmi: str
    models: tuple[ModelSpec, ...]


M = ModelSpec
MAKES: tuple[MakeSpec, ...] = (
    MakeSpec(
        "Toyota",
        "4T1",
        (
            M("Camry", "Sedan", 28_400, 9.0, -0.07, "g", ("LE", "SE", "XLE", "XSE")),
            M("Corolla", "Sedan", 22_500, 8.0, -0.1, "g", ("L", "LE", "SE", "XSE")),
            M("RAV4", "SUV", 29_800, 10.0, 0.1, "g", ("LE", "XLE", "XLE Premium", "Limited")),
            M("Highlander", "SUV", 39_500, 5.0, 0.05, "g", ("L", "LE", "XLE", "Limited")),
            M(
                "Tacoma",
                "Pickup",
                31_500,
                6.0,
                0.07,
                "g",
                ("SR", "SR5", "TRD Sport", "TRD Off-Road"),
            ),
            M("Tundra", "Pickup", 40_000, 3.0, 0.05, "g", ("SR", "SR5", "Limited", "Platinum")),
            M("4Runner", "SUV", 41_000, 3.5, 0.03, "g", ("SR5", "TRD Off-Road", "Limited")),
            M("Prius", "Hatchback", 28_500, 2.5, 0.2, "h", ("LE", "XLE", "Limited")),
            M("Sienna", "Minivan", 38_000, 2.5, 0.0, "h", ("LE", "XLE", "Limited"), 2011),
        ),
    ),
    MakeSpec(
        "Honda",
        "1HG",
        (
            M("Civic", "Sedan", 24_000, 8.0, -0.05, "g", ("LX", "Sport", "EX", "Touring")),
            M("Accord", "Sedan", 28_000, 6.0, -0.07, "g", ("LX", "EX", "Sport", "Touring")),
            M("CR-V", "SUV", 30_000, 9.0, 0.07, "g", ("LX", "EX", "EX-L", "Touring")),
            M("Pilot", "SUV", 39_000, 4.0, 0.03, "g", ("Sport", "EX-L", "TrailSport", "Elite")),
            M("Odyssey", "Minivan", 38_000, 2.0, -0.03, "g", ("EX", "EX-L", "Touring", "Elite")),
            M("HR-V", "SUV", 25_000, 3.0, 0.1, "g", ("LX", "Sport", "EX-L"), 2016),
            M(
                "Ridgeline",
                "Pickup",
                40_000,
                1.2,
                0.0,
                "g",
                ("Sport", "RTL", "Black Edition"),
                2017,
            ),
        ),
    ),
    MakeSpec(
        "Ford",
        "1FT",
        (
            M("F-150", "Pickup", 38_000, 12.0, 0.05, "g", ("XL", "XLT", "Lariat", "Platinum")),
            M("Escape", "SUV", 29_000, 5.0, -0.1, "g", ("Active", "ST-Line", "Platinum")),
            M("Explorer", "SUV", 38_000, 5.0, 0.0, "g", ("Base", "XLT", "Limited", "Platinum")),
            M(
                "Bronco",
                "SUV",
                39_000,
                3.0,
                0.15,
                "g",
                ("Big Bend", "Outer Banks", "Badlands"),
                2021,
            ),
            M("Bronco Sport", "SUV", 30_000, 2.5, 0.07, "g", ("Big Bend", "Badlands"), 2021),
            M("Maverick", "Pickup", 24_000, 3.0, 0.3, "h", ("XL", "XLT", "Lariat"), 2022),
            M("Mustang", "Coupe", 31_000, 2.5, -0.05, "g", ("EcoBoost", "GT", "Dark Horse")),
            M("Mustang Mach-E", "SUV", 43_000, 1.5, 0.38, "e", ("Select", "Premium", "GT"), 2021),
            M("Expedition", "SUV", 58_000, 1.8, 0.0, "g", ("XL", "XLT", "Limited", "Platinum")),
            M("Ranger", "Pickup", 33_000, 2.0, 0.05, "g", ("XL", "XLT", "Lariat"), 2019),
            M("Edge", "SUV", 38_000, 2.0, -0.2, "g", ("SE", "SEL", "ST")),
        ),
    ),
    MakeSpec(
        "Chevrolet",
        "1GC",
        (
            M("Silverado 1500", "Pickup", 38_000, 11.0, 0.03, "g", ("WT", "LT", "High Country")),
            M("Equinox", "SUV", 28_000, 6.0, -0.03, "g", ("LS", "LT", "RS", "Premier")),
            M("Malibu", "Sedan", 25_000, 3.0, -0.3, "g", ("LS", "RS", "LT", "2LT")),
            M("Tahoe", "SUV", 56_000, 3.0, 0.03, "g", ("LS", "LT", "Z71", "High Country")),
            M("Traverse", "SUV", 37_000, 3.0, 0.03, "g", ("LS", "LT", "RS", "High Country")),
            M("Colorado", "Pickup", 31_000, 2.0, 0.05, "g", ("WT", "LT", "Z71", "ZR2")),
            M("Trax", "SUV", 21_000, 3.0, 0.25, "g", ("LS", "1RS", "LT", "2RS")),
            M("Bolt EV", "Hatchback", 27_000, 1.5, 0.12, "e", ("1LT", "2LT"), 2017),
            M("Corvette", "Coupe", 68_000, 1.0, 0.0, "g", ("1LT", "2LT", "3LT")),
            M("Camaro", "Coupe", 30_000, 1.2, -0.25, "g", ("1LT", "LT1", "SS")),
            M("Blazer", "SUV", 36_000, 1.8, 0.0, "g", ("2LT", "3LT", "RS", "Premier"), 2019),
        ),
    ),
    MakeSpec(
        "Ram",
        "1C6",
        (
            M(
                "1500",
                "Pickup",
                40_000,
                8.0,
                0.0,
                "g",
                ("Tradesman", "Big Horn", "Laramie", "Limited"),
            ),
            M("2500", "Pickup", 46_000, 2.5, 0.03, "g", ("Tradesman", "Big Horn", "Laramie")),
            M("ProMaster", "Van", 44_000, 1.2, 0.05, "g", ("1500", "2500", "3500"), 2014),
        ),
    ),
    MakeSpec(
        "GMC",
        "1GT",
        (
            M(
                "Sierra 1500",
                "Pickup",
                41_000,
                5.0,
                0.03,
                "g",
                ("Pro", "SLE", "Elevation", "Denali"),
            ),
            M("Yukon", "SUV", 59_000, 2.0, 0.03, "g", ("SLE", "SLT", "AT4", "Denali")),
            M("Acadia", "SUV", 39_000, 2.0, 0.0, "g", ("SLE", "SLT", "AT4", "Denali")),
            M("Terrain", "SUV", 30_000, 2.0, -0.05, "g", ("SLE", "SLT", "AT4", "Denali")),
            M("Canyon", "Pickup", 38_000, 1.0, 0.05, "g", ("Elevation", "AT4", "Denali")),
        ),
    ),
    MakeSpec(
        "Jeep",
        "1C4",
        (
            M("Wrangler", "SUV", 33_000, 5.0, -0.05, "g", ("Sport", "Sahara", "Rubicon")),
            M("Grand Cherokee", "SUV", 40_000, 5.0, -0.03, "g", ("Laredo", "Limited", "Summit")),
            M("Cherokee", "SUV", 32_000, 2.0, -0.38, "g", ("Latitude", "Limited", "Trailhawk")),
            M(
                "Compass",
                "SUV",
                28_000,
                2.5,
                -0.1,
                "g",
                ("Sport", "Latitude", "Limited", "Trailhawk"),
            ),
            M("Gladiator", "Pickup", 38_000, 1.5, -0.07, "g", ("Sport", "Mojave", "Rubicon"), 2020),
        ),
    ),
    MakeSpec(
        "Nissan",
        "1N4",
        (
            M("Altima", "Sedan", 26_000, 5.0, -0.15, "g", ("S", "SV", "SR", "SL")),
            M("Rogue", "SUV", 29_000, 7.0, -0.03, "g", ("S", "SV", "SL", "Platinum")),
            M("Sentra", "Sedan", 21_000, 4.0, -0.07, "g", ("S", "SV", "SR")),
            M("Pathfinder", "SUV", 37_000, 2.0, 0.0, "g", ("S", "SV", "SL", "Platinum")),
            M("Frontier", "Pickup", 31_000, 2.0, 0.03, "g", ("S", "SV", "PRO-4X")),
            M("Kicks", "SUV", 21_000, 2.0, 0.05, "g", ("S", "SV", "SR"), 2018),
            M("Leaf", "Hatchback", 29_000, 0.8, -0.12, "e", ("S", "SV Plus"), 2011),
            M("Murano", "SUV", 34_000, 1.2, -0.07, "g", ("SV", "SL", "Platinum")),
        ),
    ),
    MakeSpec(
        "Hyundai",
        "5NP",
        (
            M("Elantra", "Sedan", 22_000, 4.0, -0.03, "g", ("SE", "SEL", "N Line", "Limited")),
            M("Sonata", "Sedan", 27_000, 2.5, -0.12, "g", ("SE", "SEL", "N Line", "Limited")),
            M("Tucson", "SUV", 28_000, 5.0, 0.1, "g", ("SE", "SEL", "N Line", "Limited")),
            M("Santa Fe", "SUV", 33_000, 3.0, 0.05, "g", ("SE", "SEL", "XRT", "Limited")),
            M("Palisade", "SUV", 37_000, 2.5, 0.1, "g", ("SE", "SEL", "XRT", "Calligraphy"), 2020),
            M("Kona", "SUV", 24_000, 2.5, 0.07, "g", ("SE", "SEL", "N Line", "Limited"), 2018),
            M("Ioniq 5", "SUV", 42_000, 1.5, 0.45, "e", ("SE", "SEL", "Limited"), 2022),
        ),
    ),
    MakeSpec(
        "Kia",
        "5XY",
        (
            M("Forte", "Sedan", 20_000, 2.5, -0.07, "g", ("LXS", "GT-Line", "GT")),
            M("Sportage", "SUV", 28_000, 3.5, 0.1, "g", ("LX", "EX", "X-Line", "SX")),
            M("Sorento", "SUV", 32_000, 3.0, 0.07, "g", ("LX", "S", "EX", "SX")),
            M("Telluride", "SUV", 37_000, 3.0, 0.12, "g", ("LX", "S", "EX", "SX"), 2020),
            M("Soul", "Hatchback", 21_000, 2.0, -0.1, "g", ("LX", "S", "GT-Line")),
            M("Seltos", "SUV", 25_000, 1.8, 0.1, "g", ("LX", "S", "EX", "SX"), 2021),
            M("EV6", "SUV", 43_000, 1.0, 0.38, "e", ("Light", "Wind", "GT-Line"), 2022),
            M("Carnival", "Minivan", 35_000, 1.0, 0.07, "g", ("LX", "EX", "SX"), 2022),
        ),
    ),
    MakeSpec(
        "Subaru",
        "4S4",
        (
            M("Outback", "Wagon", 30_000, 4.0, 0.0, "g", ("Base", "Premium", "Limited", "Touring")),
            M("Forester", "SUV", 29_000, 4.0, 0.03, "g", ("Base", "Premium", "Sport", "Touring")),
            M("Crosstrek", "SUV", 26_000, 4.0, 0.1, "g", ("Base", "Premium", "Sport", "Limited")),
            M(
                "Ascent",
                "SUV",
                35_000,
                1.5,
                0.0,
                "g",
                ("Base", "Premium", "Limited", "Touring"),
                2019,
            ),
            M("Impreza", "Hatchback", 23_000, 1.5, -0.07, "g", ("Base", "Sport", "RS")),
            M("WRX", "Sedan", 33_000, 1.0, 0.0, "g", ("Base", "Premium", "Limited", "GT")),
        ),
    ),
    MakeSpec(
        "Mazda",
        "JM3",
        (
            M("CX-5", "SUV", 29_000, 5.0, 0.05, "g", ("S", "Select", "Preferred", "Turbo"), 2013),
            M("Mazda3", "Sedan", 24_000, 2.0, -0.07, "g", ("S", "Select", "Preferred", "Turbo")),
            M("CX-30", "SUV", 25_000, 2.5, 0.12, "g", ("S", "Select", "Preferred", "Turbo"), 2020),
            M("CX-50", "SUV", 31_000, 1.5, 0.25, "g", ("S", "Preferred", "Premium", "Turbo"), 2023),
            M("CX-90", "SUV", 40_000, 1.2, 0.3, "g", ("Select", "Preferred", "Premium"), 2024),
            M(
                "MX-5 Miata",
                "Convertible",
                30_000,
                0.8,
                0.0,
                "g",
                ("Sport", "Club", "Grand Touring"),
            ),
        ),
    ),
    MakeSpec(
        "Volkswagen",
        "3VW",
        (
            M("Jetta", "Sedan", 22_000, 2.5, -0.07, "g", ("S", "Sport", "SE", "SEL")),
            M("Tiguan", "SUV", 29_000, 3.0, -0.03, "g", ("S", "SE", "SE R-Line", "SEL R-Line")),
            M("Atlas", "SUV", 38_000, 2.0, 0.03, "g", ("SE", "SE Technology", "SEL"), 2018),
            M("Golf GTI", "Hatchback", 32_000, 1.2, 0.0, "g", ("S", "SE", "Autobahn")),
            M("ID.4", "SUV", 41_000, 1.0, 0.25, "e", ("Standard", "Pro", "Pro S"), 2021),
            M("Taos", "SUV", 24_000, 1.5, 0.07, "g", ("S", "SE", "SEL"), 2022),
        ),
    ),
    MakeSpec(
        "BMW",
        "WBA",
        (
            M("3 Series", "Sedan", 45_000, 3.0, -0.07, "g", ("330i", "330i xDrive", "M340i")),
            M("5 Series", "Sedan", 58_000, 1.8, -0.05, "g", ("530i", "540i xDrive", "M550i")),
            M("X3", "SUV", 49_000, 3.0, 0.03, "g", ("sDrive30i", "xDrive30i", "M40i")),
            M("X5", "SUV", 66_000, 2.5, 0.03, "g", ("sDrive40i", "xDrive40i", "M60i")),
            M("X1", "SUV", 41_000, 1.5, 0.05, "g", ("xDrive28i", "M35i")),
            M("i4", "Sedan", 53_000, 0.8, 0.3, "e", ("eDrive35", "eDrive40", "M50"), 2022),
        ),
    ),
    MakeSpec(
        "Mercedes-Benz",
        "W1K",
        (
            M("C-Class", "Sedan", 47_000, 2.5, -0.07, "g", ("C 300", "C 300 4MATIC", "AMG C 43")),
            M("E-Class", "Sedan", 62_000, 1.5, -0.05, "g", ("E 350", "E 450 4MATIC", "AMG E 53")),
            M(
                "GLC",
                "SUV",
                48_000,
                3.0,
                0.05,
                "g",
                ("GLC 300", "GLC 300 4MATIC", "AMG GLC 43"),
                2016,
            ),
            M("GLE", "SUV", 62_000, 2.0, 0.03, "g", ("GLE 350", "GLE 450", "AMG GLE 53"), 2016),
            M(
                "GLA",
                "SUV",
                41_000,
                1.2,
                0.0,
                "g",
                ("GLA 250", "GLA 250 4MATIC", "AMG GLA 35"),
                2015,
            ),
            M("Sprinter", "Van", 55_000, 1.0, 0.05, "g", ("Cargo 144", "Cargo 170", "Passenger")),
        ),
    ),
    MakeSpec(
        "Audi",
        "WAU",
        (
            M("A4", "Sedan", 42_000, 1.8, -0.1, "g", ("Premium", "Premium Plus", "Prestige")),
            M("Q5", "SUV", 46_000, 3.0, 0.03, "g", ("Premium", "Premium Plus", "Prestige")),
            M("Q7", "SUV", 60_000, 1.5, 0.0, "g", ("Premium", "Premium Plus", "Prestige")),
            M("Q3", "SUV", 39_000, 1.2, 0.0, "g", ("Premium", "Premium Plus", "S line"), 2015),
            M("A6", "Sedan", 57_000, 0.8, -0.07, "g", ("Premium", "Premium Plus", "Prestige")),
        ),
    ),
    MakeSpec(
        "Lexus",
        "2T2",
        (
            M("RX", "SUV", 50_000, 3.0, 0.05, "g", ("RX 350", "RX 350h", "RX 500h")),
            M("NX", "SUV", 42_000, 2.5, 0.1, "g", ("NX 250", "NX 350", "NX 350h"), 2015),
            M("ES", "Sedan", 43_000, 2.0, -0.05, "g", ("ES 250", "ES 350", "ES 300h")),
            M("GX", "SUV", 62_000, 1.2, 0.07, "g", ("Premium", "Overtrail", "Luxury")),
            M("IS", "Sedan", 41_000, 1.0, -0.07, "g", ("IS 300", "IS 350 F Sport", "IS 500")),
        ),
    ),
    MakeSpec(
        "Tesla",
        "5YJ",
        (
            M(
                "Model 3",
                "Sedan",
                40_000,
                3.0,
                0.15,
                "e",
                ("RWD", "Long Range", "Performance"),
                2018,
            ),
            M("Model Y", "SUV", 44_000, 4.0, 0.2, "e", ("RWD", "Long Range", "Performance"), 2020),
            M("Model S", "Sedan", 75_000, 0.8, -0.12, "e", ("Dual Motor", "Plaid"), 2013),
            M("Model X", "SUV", 80_000, 0.7, -0.07, "e", ("Dual Motor", "Plaid"), 2016),
        ),
    ),
    MakeSpec(
        "Acura",
        "5J8",
        (
            M("MDX", "SUV", 50_000, 2.0, 0.03, "g", ("Base", "Technology", "A-Spec", "Type S")),
            M("RDX", "SUV", 44_000, 2.0, 0.0, "g", ("Base", "Technology", "A-Spec", "Advance")),
            M("Integra", "Sedan", 32_000, 1.0, 0.2, "g", ("Base", "A-Spec", "Type S"), 2023),
            M("TLX", "Sedan", 44_000, 0.8, -0.12, "g", ("Base", "Technology", "Type S"), 2015),
        ),
    ),
    MakeSpec(
        "Infiniti",
        "5N1",
        (
            M("QX60", "SUV", 50_000, 1.0, 0.0, "g", ("Pure", "Luxe", "Sensory", "Autograph"), 2014),
            M("QX50", "SUV", 42_000, 0.8, -0.07, "g", ("Pure", "Luxe", "Sensory"), 2014),
            M("Q50", "Sedan", 43_000, 0.7, -0.2, "g", ("Luxe", "Sensory", "Red Sport 400"), 2014),
        ),
    ),
    MakeSpec(
        "Cadillac",
        "1GY",
        (
            M("Escalade", "SUV", 82_000, 1.2, 0.05, "g", ("Luxury", "Sport", "Platinum")),
            M("XT5", "SUV", 45_000, 1.0, -0.05, "g", ("Luxury", "Premium Luxury", "Sport"), 2017),
            M("XT4", "SUV", 36_000, 0.8, -0.05, "g", ("Luxury", "Premium Luxury", "Sport"), 2019),
            M(
                "CT5",
                "Sedan",
                38_000,
                0.6,
                -0.1,
                "g",
                ("Luxury", "Premium Luxury", "V-Series"),
                2020,
            ),
            M("Lyriq", "SUV", 58_000, 0.5, 0.5, "e", ("Tech", "Luxury", "Sport"), 2023),
        ),
    ),
    MakeSpec(
        "Buick",
        "KL4",
        (
            M("Enclave", "SUV", 44_000, 1.5, 0.0, "g", ("Preferred", "Essence", "Avenir")),
            M("Encore GX", "SUV", 26_000, 1.5, 0.05, "g", ("Preferred", "Avenir"), 2020),
            M("Envision", "SUV", 36_000, 0.8, 0.0, "g", ("Preferred", "Essence", "Avenir"), 2016),
        ),
    ),
    MakeSpec(
        "Lincoln",
        "5LM",
        (
            M(
                "Aviator",
                "SUV",
                53_000,
                0.8,
                0.0,
                "g",
                ("Standard", "Reserve", "Black Label"),
                2020,
            ),
            M(
                "Nautilus",
                "SUV",
                48_000,
                0.8,
                0.0,
                "g",
                ("Premiere", "Reserve", "Black Label"),
                2019,
            ),
            M("Navigator", "SUV", 85_000, 0.6, 0.05, "g", ("Standard", "Reserve", "Black Label")),
            M(
                "Corsair",
                "SUV",
                40_000,
                0.7,
                0.0,
                "g",
                ("Standard", "Reserve", "Grand Touring"),
                2020,
            ),
        ),
    ),
    MakeSpec(
        "Chrysler",
        "2C4",
        (
            M("Pacifica", "Minivan", 40_000, 1.8, -0.03, "g", ("Touring", "Limited"), 2017),
            M("300", "Sedan", 35_000, 0.8, -0.38, "g", ("Touring", "Touring L", "300S")),
        ),
    ),
    MakeSpec(
        "Dodge",
        "2C3",
        (
            M("Charger", "Sedan", 34_000, 2.0, -0.15, "g", ("SXT", "GT", "R/T", "Scat Pack")),
            M("Challenger", "Coupe", 33_000, 1.5, -0.15, "g", ("SXT", "GT", "R/T", "Scat Pack")),
            M("Durango", "SUV", 40_000, 1.8, -0.03, "g", ("SXT", "GT", "R/T", "Citadel")),
            M("Hornet", "SUV", 32_000, 0.5, 0.12, "g", ("GT", "GT Plus", "R/T"), 2023),
        ),
    ),
    MakeSpec(
        "Volvo",
        "YV4",
        (
            M("XC90", "SUV", 57_000, 1.2, 0.0, "g", ("Core", "Plus", "Ultimate")),
            M("XC60", "SUV", 46_000, 1.5, 0.05, "g", ("Core", "Plus", "Ultimate")),
            M("XC40", "SUV", 39_000, 1.0, 0.05, "g", ("Core", "Plus", "Ultimate"), 2019),
            M("S60", "Sedan", 43_000, 0.5, -0.12, "g", ("Core", "Plus", "Ultimate")),
        ),
    ),
    MakeSpec(
        "Mitsubishi",
        "JA4",
        (
            M("Outlander", "SUV", 29_000, 1.5, 0.07, "g", ("ES", "SE", "SEL")),
            M("Eclipse Cross", "SUV", 27_000, 0.8, 0.0, "g", ("ES", "LE", "SE", "SEL"), 2018),
            M("Mirage", "Hatchback", 17_000, 0.8, -0.12, "g", ("ES", "LE", "SE"), 2014),
            M("Outlander Sport", "SUV", 25_000, 0.8, -0.05, "g", ("S", "ES", "SE"), 2011),
        ),
    ),
    MakeSpec(
        "Genesis",
        "KMU",
        (
            M("G70", "Sedan", 42_000, 0.5, 0.0, "g", ("2.5T", "2.5T Sport", "3.3T Sport"), 2019),
            M("GV70", "SUV", 46_000, 0.7, 0.2, "g", ("2.5T", "2.5T Sport", "3.5T Sport"), 2022),
            M("GV80", "SUV", 58_000, 0.5, 0.12, "g", ("2.5T Standard", "3.5T Advanced"), 2021),
            M("G80", "Sedan", 55_000, 0.4, -0.05, "g", ("2.5T Standard", "2.5T Advanced"), 2017),
        ),
    ),
    MakeSpec(
        "Porsche",
        "WP1",
        (
            M("Macan", "SUV", 62_000, 0.6, 0.05, "g", ("Base", "T", "S", "GTS"), 2015),
            M("Cayenne", "SUV", 80_000, 0.5, 0.03, "g", ("Base", "S", "Turbo E-Hybrid")),
            M("911", "Coupe", 115_000, 0.3, 0.0, "g", ("Carrera", "Carrera S", "Turbo S")),
        ),
    ),
    MakeSpec(
        "Land Rover",
        "SAL",
        (
            M("Range Rover Sport", "SUV", 84_000, 0.5, 0.03, "g", ("SE", "Dynamic SE")),
            M("Defender", "SUV", 57_000, 0.5, 0.15, "g", ("90 S", "110 S", "110 X"), 2020),
            M("Discovery Sport", "SUV", 48_000, 0.4, -0.05, "g", ("S", "Dynamic SE"), 2015),
        ),
    ),
    MakeSpec(
        "Rivian",
        "7FC",
        (
            M("R1S", "SUV", 78_000, 0.3, 0.38, "e", ("Standard", "Adventure"), 2022),
            M("R1T", "Pickup", 73_000, 0.3, 0.3, "e", ("Standard", "Adventure"), 2022),
        ),
    ),
    MakeSpec(
        "MINI",
        "WMW",
        (
            M("Cooper", "Hatchback", 28_000, 0.8, -0.05, "g", ("Classic", "Signature", "Iconic")),
            M("Countryman", "SUV", 33_000, 0.5, 0.0, "g", ("Classic", "Signature", "Iconic"), 2011),
        ),
    ),
)
