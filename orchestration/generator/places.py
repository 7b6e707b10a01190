"""Places and people the demo draws from: US sales regions with real cities, names, companies.

Area codes are the cities' real ones, but phone numbers use the fictional 555 exchange and
e-mail addresses the reserved example.* domains, so generated PII never reaches a real person.
"""

from __future__ import annotations

# region -> (city, area code); every region lists ten cities so draws can index them uniformly.
REGIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "Northeast": (
        ("Boston", "617"), ("Philadelphia", "215"), ("Pittsburgh", "412"), ("Hartford", "860"),
        ("Providence", "401"), ("Albany", "518"), ("Buffalo", "716"), ("Newark", "973"),
        ("Worcester", "508"), ("Syracuse", "315"),
    ),
    "Southeast": (
        ("Atlanta", "404"), ("Charlotte", "704"), ("Raleigh", "919"), ("Nashville", "615"),
        ("Orlando", "407"), ("Tampa", "813"), ("Jacksonville", "904"), ("Birmingham", "205"),
        ("Richmond", "804"), ("Savannah", "912"),
    ),
    "Midwest": (
        ("Chicago", "312"), ("Indianapolis", "317"), ("Milwaukee", "414"), ("Minneapolis", "612"),
        ("Detroit", "313"), ("Cleveland", "216"), ("St. Louis", "314"), ("Omaha", "402"),
        ("Des Moines", "515"), ("Cincinnati", "513"),
    ),
    "Southwest": (
        ("Phoenix", "602"), ("Tucson", "520"), ("Albuquerque", "505"), ("Dallas", "214"),
        ("Houston", "713"), ("San Antonio", "210"), ("Austin", "512"), ("El Paso", "915"),
        ("Oklahoma City", "405"), ("Las Vegas", "702"),
    ),
    "West": (
        ("Denver", "303"), ("Seattle", "206"), ("Sacramento", "916"), ("San Diego", "619"),
        ("Salt Lake City", "801"), ("Boise", "208"), ("Spokane", "509"), ("Fresno", "559"),
        ("Reno", "775"), ("Colorado Springs", "719"),
    ),
}
REGION_NAMES = tuple(REGIONS)

FIRST_NAMES_F = (
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah",
    "Karen", "Lisa", "Nancy", "Betty", "Sandra", "Margaret", "Ashley", "Kimberly", "Emily",
    "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca",
    "Sharon", "Laura", "Cynthia", "Amy", "Kathleen", "Angela", "Brenda", "Emma", "Anna",
    "Pamela", "Nicole", "Samantha", "Katherine", "Christine", "Rachel", "Janet", "Maria",
    "Olivia", "Heather", "Helen", "Catherine", "Diane", "Julie", "Victoria", "Lauren", "Kelly",
    "Christina", "Ruth", "Evelyn", "Sophia", "Isabella", "Mia", "Grace", "Chloe", "Camila",
    "Priya", "Mei", "Aaliyah", "Lucia", "Fatima", "Yesenia", "Keisha", "Hannah", "Abigail",
)
FIRST_NAMES_M = (
    "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas",
    "Christopher", "Charles", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven",
    "Andrew", "Paul", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald",
    "Jason", "Edward", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan",
    "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory",
    "Alexander", "Patrick", "Frank", "Raymond", "Jack", "Dennis", "Tyler", "Aaron", "Jose",
    "Adam", "Nathan", "Henry", "Zachary", "Douglas", "Peter", "Kyle", "Noah", "Ethan", "Liam",
    "Mason", "Carlos", "Luis", "Wei", "Raj", "Andre", "Malik", "Hiroshi",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
    "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
    "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
    "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
    "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
    "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
    "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler",
    "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan",
    "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno",
    "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar",
    "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez",
    "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman",
)
FLEET_TRADES = (
    "Plumbing", "Electric", "Landscaping", "Construction", "Logistics", "Rentals", "HVAC",
    "Roofing", "Courier", "Security", "Property Services", "Catering", "Pest Control",
    "Cleaning", "Towing", "Medical Transport", "Home Health", "Solar", "Pool Service", "Movers",
)
FLEET_SUFFIXES = ("LLC", "Inc", "Co", "Group", "Services")
COMPETITOR_SUFFIXES = (
    "Auto Sales", "Motors", "Auto Group", "Car Center", "Pre-Owned", "Autoplex", "Auto Mall",
    "Cars Direct",
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
