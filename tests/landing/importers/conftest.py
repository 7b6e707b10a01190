"""Small hand-made exports, one quirk per row, for the importer tests."""

from __future__ import annotations

from pathlib import Path

import pytest

CAR_SALES_HEADER = (
    "Car_id,Date,Customer_Name,Gender,Annual_Income,Dealer_Name,Company,Model,Engine,"
    "Transmission,Color,Price$,Dealer_No ,Body_Style,Phone,Dealer_Region"
)
CAR_SALES_ROWS = [
    # line 2: mojibake in Engine (UTF-8 read as Windows-1252), a truncated make
    "C1,1/2/2022,Anna,Female,50000,Dealer A,Mercedes-B,C-Class,DoubleÂ\u00a0Overhead Camshaft,"
    "Auto,Black,30000,11111-1111,Sedan,1234567,Austin",
    # line 3: the same buyer again (name, phone, gender, income), a model read as a date
    "C2,1/4/2022,anna,Female,50000,Dealer A,Saab,5-Sep,Overhead Camshaft,Manual,Red,20000,"
    "11111-1111,Sedan,1234567,Austin",
    # line 4: a namesake with another phone; the same dealer name in another region
    "C3,1/4/2022,Anna,Female,50000,Dealer A,Ford,Focus,Overhead Camshaft,Manual,Red,15000,"
    "11111-1111,Hatchback,7654321,Pasco",
    # line 5: the literal None for a missing name
    "C4,1/5/2022,None,Male,80000,Dealer B,BMW,328i,Overhead Camshaft,Auto,Black,40000,"
    "22222-2222,Sedan,5555555,Pasco",
    # line 6: no usable date
    "C5,2022-13-45,Bob,Male,60000,Dealer B,Ford,Focus,Overhead Camshaft,Auto,Black,15000,"
    "22222-2222,Sedan,6666666,Pasco",
]


@pytest.fixture
def car_sales_csv(tmp_path) -> Path:
    path = tmp_path / "car_sales.csv"
    path.write_text("\r\n".join([CAR_SALES_HEADER, *CAR_SALES_ROWS]) + "\r\n", encoding="utf-8")
    return path


MINT_TABLES = {
    "productlines": ["productLine,textDescription,htmlDescription,image", "Planes,Planes.,,"],
    "products": [
        "productCode,productName,productLine,productScale,productVendor,productDescription,"
        "quantityInStock,warehouseCode,buyPrice,MSRP",
        "P1,Spitfire,Planes,1:72,Vendor A,A plane.,5,a,10.00,25.00",
        "P2,Mustang,Planes,1:72,Vendor A,A plane.,900,b,20.00,50.00",
    ],
    "warehouses": ["warehouseCode,warehouseName,warehousePctCap", "a,North,50", "b,East,80"],
    "offices": [
        "officeCode,city,phone,addressLine1,addressLine2,state,country,postalCode,territory",
        "1,Paris,+33,Rue 1,,,France,75000,EMEA",
    ],
    "employees": [
        "employeeNumber,lastName,firstName,extension,email,officeCode,reportsTo,jobTitle",
        "10,Rep,Ann,x1,ann@example.com,1,,Sales Rep",
    ],
    "customers": [
        "customerNumber,customerName,contactLastName,contactFirstName,phone,addressLine1,"
        "addressLine2,city,state,postalCode,country,salesRepEmployeeNumber,creditLimit",
        "100,Shop A,Lee,Kim ,123,Road 1,,Oslo,,0150,Norway  ,10,1000.00",
        "101,Shop B,Roe,Sam,456,Road 2,,Paris,,75000,France,,0.00",
    ],
    "orders": [
        "orderNumber,orderDate,requiredDate,shippedDate,status,comments,customerNumber",
        "1,2004-01-05,2004-01-10,2004-01-07,Shipped,,100",
        "2,2004-01-08,2004-01-15,,Cancelled,Changed mind,100",
        "3,2004-01-14,2004-01-20,2004-01-15,Shipped,,100",
    ],
    "orderdetails": [
        "orderNumber,productCode,quantityOrdered,priceEach,orderLineNumber",
        "1,P1,3,20.00,1",
        "1,P2,2,45.00,2",
        "2,P1,4,20.00,1",
        "3,P1,1,22.00,1",
    ],
    "payments": ["customerNumber,checkNumber,paymentDate,amount", "100,CH1,2004-02-01,150.00"],
}


@pytest.fixture
def mint_dir(tmp_path) -> Path:
    folder = tmp_path / "mint"
    folder.mkdir()
    for name, lines in MINT_TABLES.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
