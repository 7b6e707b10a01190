"""The words a question may use, beside the values read from the data: metrics, groupings,
fuel and customer words, aliases, and the small words that carry no meaning of their own."""

METRICS = {
    "units": [
        "units",
        "unit sales",
        "volume",
        "cars",
        "vehicles",
        "deals",
        "how many",
        "number of sales",
        "count",
        "sales count",
        "sales",
    ],
    "revenue": [
        "revenue",
        "revenues",
        "sales revenue",
        "turnover",
        "dollars",
        "sales value",
        "takings",
    ],
    "gross": ["gross", "gross profit", "profit", "profits", "front-end gross", "total gross"],
    "gross_per_unit": [
        "gross per unit",
        "gpu",
        "profit per unit",
        "gross per car",
        "gross per vehicle",
        "average gross",
        "avg gross",
        "profit per car",
        "gross per deal",
        "gross profit per unit",
        "gross profit per car",
        "gross profit per vehicle",
        "profit per vehicle",
        "per unit gross",
        "average gross per unit",
        "avg gross per unit",
        "average gross profit per unit",
    ],
    "days_on_lot": [
        "days on lot",
        "days on the lot",
        "average days on lot",
        "avg days on lot",
        "average days to sell",
        "average days in stock",
        "days to sell",
        "days in stock",
        "time to sell",
        "turn time",
        "days to turn",
        "days to sale",
        "average days to sale",
        "avg days to sale",
        "time to sale",
    ],
    "avg_price": [
        "average price",
        "avg price",
        "average sale price",
        "asp",
        "average selling price",
        "mean price",
        "average revenue",
        "average sale",
    ],
    "margin": ["margin", "gross margin", "margin percent", "margin %"],
}
WEAK_UNITS = {"sold", "sell", "sells", "selling", "seller", "sellers", "moved", "buy", "bought"}
DIMENSIONS = {
    "model": ["model", "models", "nameplate", "nameplates"],
    "make": ["make", "makes", "brand", "brands", "manufacturer", "manufacturers", "marque"],
    "dealer": [
        "dealer",
        "dealers",
        "dealership",
        "dealerships",
        "store",
        "stores",
        "rooftop",
        "rooftops",
        "location",
        "locations",
        "site",
        "sites",
    ],
    "region": ["region", "regions"],
    "city": ["city", "cities", "town", "towns"],
    "body_style": [
        "body style",
        "body styles",
        "body type",
        "body types",
        "body",
        "bodies",
        "vehicle type",
        "vehicle types",
        "segment of vehicle",
    ],
    "gender": ["gender", "genders", "sex"],
    "segment": ["segment", "segments", "customer segment", "customer segments"],
    "customer_type": ["customer type", "customer types", "buyer type", "buyer types"],
    "stock_type": ["stock type", "stock types", "new or used", "new and used", "inventory type"],
    "fuel": ["fuel", "fuel type", "fuel types", "powertrain", "powertrains"],
    "trim": ["trim", "trims", "trim level", "trim levels"],
}
# fuel is read from the engine of the vehicle sold (marts.dim_vehicles), where the data says it
FUEL_WORDS = {
    "hybrid": ["hybrid", "hybrids", "hybrid vehicles", "hybrid cars"],
    "electric": ["electric", "ev", "evs", "electric vehicles", "electric cars", "bev"],
}
CUSTOMER_NOUNS = ("customer", "customers", "buyer", "buyers", "account", "accounts")
GENDER_WORDS = {
    "F": ["female", "females", "women", "woman", "f"],
    "M": ["male", "males", "men", "man", "m"],
    "U": ["undisclosed", "unknown gender"],
}
ALIASES = {
    "make": {
        "chevy": "Chevrolet",
        "vw": "Volkswagen",
        "mercedes": "Mercedes-Benz",
        "benz": "Mercedes-Benz",
        "merc": "Mercedes-Benz",
    },
    "body_style": {
        "truck": "Pickup",
        "trucks": "Pickup",
        "pickup truck": "Pickup",
        "pickup trucks": "Pickup",
        "suv's": "SUV",
    },
    "stock_type": {
        "pre-owned": "used",
        "preowned": "used",
        "second-hand": "used",
        "secondhand": "used",
        "brand new": "new",
    },
}
MULTI = "\x1f"  # joins the filters of one phrase: "RAV4 XLE" is model=RAV4, trim=XLE
_STOPWORDS = """
a an the of in on at for by per with and or to from me us our we show give list tell what which
who whose were was is are be been did do does how much many top bottom best worst most least
highest lowest fewest biggest largest smallest their its it that this those these please can you
i all total each every month's compare compared versus vs against than ranked rank ranking trend
over time monthly weekly quarterly during within about get find see there has have had sold
what's whats
"""
STOPWORDS = frozenset(_STOPWORDS.split())

# thresholds and negations (serving/ask/conditions.py); phrases separated by commas
COMPARATORS = {  # phrases separated by commas
    ">": "over, above, more than, greater than, higher than, exceeding, older than, bigger than, "
    "larger than, in excess of, upwards of",
    ">=": "at least, no less than, not less than, minimum of, min",
    "<": "under, below, less than, fewer than, lower than, cheaper than, younger than",
    "<=": "at most, no more than, not more than, up to, maximum of, max",
}
POSTFIX = {
    ">=": "or more, or above, or over, or higher, plus",
    "<=": "or less, or under, or below, or lower, or fewer",
}
# words before the comparison naming what is compared ("priced over", "mileage under")
SUBJECTS = {
    "price": "price, priced, sale price, selling price, sold for, for",
    "gross": "gross, gross profit, profit, front-end gross",
    "days": "days on lot, days on the lot, days to sale, days to sell, days in stock, age, aged",
    "mileage": "mileage, miles, odometer",
}
# words around the number naming its unit ("50000 dollars", "60 days on lot", "usd 30k")
UNITS = {
    "price": "dollars, dollar, usd, bucks",
    "gross": "gross, gross profit, in gross, profit",
    "days": "days on lot, days on the lot, days in stock, days old, days, day",
    "mileage": "miles, mile, mi",
    "total": "sales, units, cars, deals, vehicles",  # a threshold on a total
}
NEGATIONS = {
    "": "not, excluding, exclude, excludes, except, without, non, other than, apart from, "
    "but not, isn't, aren't, no, minus, besides"
}
