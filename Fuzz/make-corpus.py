#!/usr/bin/env python3
"""Writes the hand-made seed corpus into Tests/FuzzCorpus/<target>/ (see Fuzz/README.md).

Seeds are small on purpose: each one reaches a branch (a payload shape, an Alpha Vantage
error body, a JSON syntax corner, a DynamoDB type) that random mutation would take long to
find. Files that libFuzzer itself found (`found-*`) and crash reproducers (`crashes/`) are
not written here; this script never deletes anything.

Usage: Fuzz/make-corpus.py            (run from anywhere; overwrites the seed files it owns)
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "FuzzCorpus"

# --- FuzzPayloadParser: 1 selector byte (SourceFunction index, symbol IBM) + payload -------

OVERVIEW, EARNINGS, CASH_FLOW, BALANCE_SHEET, INCOME_STATEMENT = range(5)


def report(date, currency=True, **fields):
    r = {"fiscalDateEnding": date}
    if currency:
        r["reportedCurrency"] = "USD"
    r.update(fields)
    return r


# Shrunk from `pollen sample-data --assets 2` (field names and value styles as written there),
# symbol renamed to IBM.
overview = {
    "Symbol": "IBM", "AssetType": "Common Stock", "Name": "Orlium Corp",
    "Description": "Orlium Corp manufactures drivetrain and braking components.",
    "CIK": "0000439575", "Exchange": "NYSE", "Currency": "USD", "Country": "USA",
    "Sector": "MANUFACTURING", "FiscalYearEnd": "December", "LatestQuarter": "2024-09-30",
    "MarketCapitalization": "308315991610", "PERatio": "None", "DividendDate": "-",
    "ExDividendDate": "N/A", "Beta": "",
}
earnings = {
    "symbol": "IBM",
    "annualEarnings": [{"fiscalDateEnding": "2024-12-31", "reportedEPS": "0.72"},
                       {"fiscalDateEnding": "2023-12-31", "reportedEPS": "0.67"}],
    "quarterlyEarnings": [
        {"fiscalDateEnding": "2024-12-31", "reportedDate": "2025-01-29", "reportedEPS": "0.21",
         "estimatedEPS": "0.19", "surprise": "0.02", "surprisePercentage": "10.5263",
         "reportTime": "post-market"},
        {"fiscalDateEnding": "2024-09-30", "reportedDate": "2024-10-23", "reportedEPS": "0.17",
         "estimatedEPS": "None", "surprise": "None", "surprisePercentage": "None",
         "reportTime": "pre-market"},
    ],
}
cash_flow = {
    "symbol": "IBM",
    "annualReports": [report("2024-12-31", operatingCashflow="11157845857", capitalExpenditures="3268280633",
                             changeInInventory="None", changeInOperatingAssets="-532661634")],
    "quarterlyReports": [report("2024-12-31", operatingCashflow="2911403052", profitLoss="None"),
                         report("2024-09-30", operatingCashflow="2738912211", profitLoss="1251013317")],
}
balance_sheet = {
    "symbol": "IBM",
    "annualReports": [report("2024-12-31", totalAssets="75485547161", inventory="None", goodwill="None"),
                      report("2023-12-31", totalAssets="71990347014", inventory="1450283338", goodwill="-")],
    "quarterlyReports": [report("2024-12-31", totalAssets="75485547161", commonStockSharesOutstanding="910000000")],
}
income_statement = {
    "symbol": "IBM",
    "annualReports": [report("2024-12-31", grossProfit="14306002940", totalRevenue="96790456443",
                             researchAndDevelopment="None", netInterestIncome="-643345134")],
    "quarterlyReports": [report("2024-12-31", grossProfit="3602174411", totalRevenue="24650394123")],
}


def j(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def truncated(value, at):
    return j(value)[:at]


deep_ok = b'{"symbol":"IBM","annualReports":[' + b"[" * 500 + b"]" * 500 + b"]}"
deep_too_deep = b"[" * 600 + b"]" * 600
deep_objects = b'{"a":' * 520 + b"1" + b"}" * 520

payload_seeds = {
    # Valid payloads, one per function.
    "ok-overview": (OVERVIEW, j(overview)),
    "ok-earnings": (EARNINGS, j(earnings)),
    "ok-cash-flow": (CASH_FLOW, j(cash_flow)),
    "ok-balance-sheet": (BALANCE_SHEET, j(balance_sheet)),
    "ok-income-statement": (INCOME_STATEMENT, json.dumps(income_statement, indent=2).encode()),
    "ok-earnings-annual-only": (EARNINGS, j({"symbol": "IBM", "annualEarnings": earnings["annualEarnings"]})),
    # Alpha Vantage's own answers instead of data.
    "av-empty-object": (CASH_FLOW, b"{}"),
    "av-error-message": (EARNINGS, j({"Error Message": "Invalid API call. Please retry or visit the documentation "
                                                       "(https://www.alphavantage.co/documentation/) for EARNINGS."})),
    "av-information": (OVERVIEW, j({"Information": "Thank you for using Alpha Vantage! Our standard API rate limit "
                                                   "is 25 requests per day. Please subscribe to any of the premium "
                                                   "plans at https://www.alphavantage.co/premium/ to instantly remove "
                                                   "all daily rate limits.\nSecond line\r\nthird\u2028line"})),
    "av-note": (BALANCE_SHEET, j({"Note": "Thank you for using Alpha Vantage! Our standard API call frequency "
                                          "is 5 calls per minute and 500 calls per day."})),
    "av-error-not-text": (INCOME_STATEMENT, b'{"Error Message":{"code":429},"symbol":"IBM"}'),
    # Wrong shapes.
    "shape-top-level-array": (OVERVIEW, b'[{"Symbol":"IBM"}]'),
    "shape-scalars": (EARNINGS, b' \t\r\n"IBM" '),
    "shape-symbol-mismatch": (CASH_FLOW, b'{"symbol":"MSFT","annualReports":[]}'),
    "shape-symbol-number": (BALANCE_SHEET, b'{"symbol":1,"annualReports":[]}'),
    "shape-lists-wrong": (INCOME_STATEMENT, b'{"symbol":"IBM","annualReports":{"0":{}},"quarterlyReports":null}'),
    "shape-no-lists": (EARNINGS, b'{"symbol":"IBM","annualReports":[]}'),
    "shape-overview-number": (OVERVIEW, b'{"Symbol":"IBM","PERatio":21.5,"Beta":null,"Flags":[true,false]}'),
    "shape-overview-no-symbol": (OVERVIEW, b'{"symbol":"IBM","Name":"x"}'),
    "shape-mixed-records": (BALANCE_SHEET, j({"symbol": "IBM", "quarterlyReports": [
        report("2024-03-31", totalAssets="1"), "2023-12-31", 42, None, ["fiscalDateEnding", "2023-03-31"],
        {"fiscalDateEnding": 20221231}, report("2022-09-30", goodwill=True, inventory=None), {"reportedCurrency": "USD"},
    ]})),
    # Dates and duplicates.
    "dates-bad": (EARNINGS, j({"symbol": "IBM", "annualEarnings": [
        {"fiscalDateEnding": d, "reportedEPS": "1"} for d in
        ["2023-02-29", "2024-02-29", "2024-13-01", "0000-01-01", "9999-12-31", "2024-1-01", "2024-04-31",
         "\uff12\uff10\uff12\uff14-01-01", "2024/01/31", "2024-01-3a", "-024-01-01", ""]]})),
    "dup-reports": (CASH_FLOW, j({"symbol": "IBM",
                                  "annualReports": [report("2024-12-31", a="1"), report("2024-12-31", a="2"),
                                                    report("2024-12-31", a=3)],
                                  "quarterlyReports": [report("2024-12-31", a={}), report("2024-12-31", a="x")]})),
    "dup-keys": (INCOME_STATEMENT, b'{"symbol":"MSFT","symbol":"IBM","annualReports":[{"fiscalDateEnding":"x",'
                                   b'"fiscalDateEnding":"2024-12-31","a":"1","a":2}],"annualReports":[]}'),
    # JSON syntax corners.
    "json-empty": (OVERVIEW, b""),
    "json-whitespace": (EARNINGS, b" \n\t\r "),
    "json-truncated-string": (EARNINGS, truncated(earnings, 97)),
    "json-truncated-escape": (OVERVIEW, b'{"Symbol":"IBM","Name":"a\\u00'),
    "json-trailing-garbage": (CASH_FLOW, b'{"symbol":"IBM","annualReports":[]} x'),
    "json-trailing-comma": (BALANCE_SHEET, b'{"symbol":"IBM","annualReports":[{"fiscalDateEnding":"2024-12-31",},],}'),
    "json-single-quotes-comments": (INCOME_STATEMENT, b"{'symbol':'IBM'} // comment /* c */"),
    "json-deep-ok": (CASH_FLOW, deep_ok),
    "json-deep-too-deep": (EARNINGS, deep_too_deep),
    "json-deep-objects": (OVERVIEW, deep_objects),
    "json-numbers": (BALANCE_SHEET, b'{"symbol":"IBM","annualReports":[{"fiscalDateEnding":"2024-12-31","a":'
                                    b'1e999999999,"b":-0.0000000000000000000000000000001e-99999,"c":'
                                    + b"9" * 400 + b',"d":-0,"e":0.5E+3}],"quarterlyReports":[01,1.,-,1e,.5,+1]}'),
    "json-nan-infinity": (INCOME_STATEMENT, b'{"symbol":"IBM","annualReports":[{"fiscalDateEnding":"2024-12-31",'
                                            b'"a":NaN,"b":Infinity,"c":-Infinity}]}'),
    "json-literals": (OVERVIEW, b'[true,false,null,tru,nul,fals,True,NULL]'),
    "json-bom": (OVERVIEW, b"\xef\xbb\xbf" + j({"Symbol": "IBM"})),
    "json-bom-twice": (EARNINGS, b"\xef\xbb\xbf\xef\xbb\xbf{}"),
    "json-utf16-bom": (CASH_FLOW, b"\xff\xfe{\x00}\x00"),
    "json-invalid-utf8": (OVERVIEW, b'{"Symbol":"IBM","Name":"\xff\xfe","Sector":"\xc0\xaf","Industry":"\xed\xa0\x80",'
                                    b'"Country":"\xf4\x90\x80\x80","Address":"\xe2\x82"}'),
    "json-invalid-utf8-key": (BALANCE_SHEET, b'{"symbol":"IBM","\x80annualReports":[]}'),
    "json-escapes": (OVERVIEW, b'{"Symbol":"IBM","a":"\\ud83d\\ude00\\u00e9\\/\\b\\f\\n\\r\\t\\"\\\\","b":"\\u0000",'
                               b'"c":"\\uD83D\\uDE00","d":"\\uDBFF\\uDFFF"}'),
    "json-lone-surrogate": (OVERVIEW, b'{"Symbol":"IBM","a":"\\ud800"}'),
    "json-surrogate-pairs-bad": (EARNINGS, b'["\\ud800\\u0041","\\udc00","\\ud800\\ud800","\\ud800\\","\\ud800\\u12"]'),
    "json-bad-escapes": (CASH_FLOW, b'["\\x41","\\u12G4","\\U0041","\\\'","\\a"]'),
    "json-control-chars": (INCOME_STATEMENT, b'{"symbol":"IB\tM","annualReports":["\x00","\x1f","\x7f"]}'),
    "json-nul-outside": (BALANCE_SHEET, b'{"symbol":"IBM"}\x00'),
}

# --- FuzzAttributeValue: the DynamoDB JSON text of one value ---------------------------------

attribute_seeds = {
    "type-s": b'{"S":"Zu\\u0308rich \xe2\x80\x94 \\ud83d\\ude00 \\"q\\" \\\\ \\n"}',
    "type-n": b'{"N":"-123.4500E+10"}',
    "type-b": b'{"B":"3q2+7w=="}',
    "type-bool": b'{"BOOL":false}',
    "type-null": b'{"NULL":true}',
    "type-m": b'{"M":{"symbol":{"S":"IBM"},"sk":{"S":"annual#2024-12-31"},"v":{"N":"1"},"":{"S":""}}}',
    "type-l": b'{"L":[{"S":"a"},{"N":"0"},{"NULL":true},{"L":[]},{"M":{}}]}',
    "type-ss": b'{"SS":["a","b","\xc3\xa9"]}',
    "type-ns": b'{"NS":["1","1.0","-0","1E-130"]}',
    "type-bs": b'{"BS":["AA==","AQID",""]}',
    "nested": b'{"M":{"a":' + b'{"L":[' * 40 + b'{"M":{"k":{"BS":["AA=="]}}}' + b"]}" * 40 + b"}}",
    "nested-deep": b'{"L":[' * 300 + b"]}" * 300,
    "null-false": b'{"NULL":false}',
    "empty-sets": b'{"L":[{"SS":[]},{"NS":[]},{"BS":[]}]}',
    "set-duplicates": b'{"SS":["a","a"]}',
    "bad-base64": b'{"B":"not base64!"}',
    "base64-variants": b'{"BS":["QUJ","QU JD","-_-_","QUJD\\n","====","QQ=","QUJD=="]}',
    "n-38-digits": b'{"N":"12345678901234567890123456789012345678"}',
    "n-39-digits": b'{"N":"123456789012345678901234567890123456789"}',
    "n-range": b'{"NS":["9.9999999999999999999999999999999999999E+125","1E+126","1E-130","1E-131"]}',
    "n-malformed": b'{"NS":["","+","-",".","1.","5.e3",".5","+1","1e","1e+","0x10"," 1","NaN","Infinity","1e99999999999999999999"]}',
    "n-zeros": b'{"N":"000000000000000000000000000000000000000000000000.000000000000000000000000e-999999"}',
    "n-as-number": b'{"N":1}',
    "s-as-number": b'{"S":1.5e300}',
    "bool-as-string": b'{"BOOL":"true"}',
    "two-types": b'{"S":"a","N":"1"}',
    "no-type": b"{}",
    "unknown-type": b'{"X":1}',
    "lowercase-type": b'{"s":"a"}',
    "duplicate-key": b'{"S":"a","S":"b"}',
    "top-level-array": b'[{"S":"a"}]',
    "top-level-string": b'"S"',
    "truncated": b'{"M":{"a":{"S":"b"',
    "invalid-utf8": b'{"S":"\xff\xed\xa0\x80"}',
    "lone-surrogate": b'{"S":"\\ud800"}',
    "bom": b'\xef\xbb\xbf{"S":"a"}',
    "nan": b'{"N":NaN}',
    "huge-number": b'{"M":{"a":{"N":"1"}},"x":' + b"9" * 400 + b"}",
}

# --- FuzzDynamoDBResponses: op byte, flags byte, response body -------------------------------

BATCH, QUERY, SCAN, GET, UPDATE, PUT, TRANSACT, DESCRIBE, CREATE, DELETE, LIST = range(11)
S200, S400, S500, S413 = range(4)
ERRORTYPE = 0b100
CRC_OK, CRC_SPACES, CRC_WRONG = 1 << 3, 2 << 3, 3 << 3

item = {"symbol": {"S": "IBM"}, "sk": {"S": "annual#2024-12-31"}, "totalAssets": {"N": "75485547161"}}
table = {"TableName": "pollen-balance-sheet", "TableStatus": "ACTIVE",
         "KeySchema": [{"AttributeName": "symbol", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
         "AttributeDefinitions": [{"AttributeName": "symbol", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"}],
         "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
         "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0, "NumberOfDecreasesToday": 0},
         "ItemCount": 169, "TableSizeBytes": 52000, "TableArn": "arn:aws:dynamodb:us-east-1:000000000000:table/t"}

response_seeds = {
    "batch-unprocessed": (BATCH, S200 | CRC_OK, j({
        "UnprocessedItems": {"t": [{"PutRequest": {"Item": item}}, {"DeleteRequest": {"Key": {"symbol": {"S": "IBM"}}}}]},
        "ConsumedCapacity": [{"TableName": "t", "CapacityUnits": 24.0}]})),
    "batch-empty": (BATCH, S200, b"{}"),
    "query-page": (QUERY, S200, j({"Items": [item, {"symbol": {"S": "IBM"}, "flags": {"SS": ["a"]}}], "Count": 2,
                                  "ScannedCount": 3, "LastEvaluatedKey": {"symbol": {"S": "IBM"}},
                                  "ConsumedCapacity": {"TableName": "t", "CapacityUnits": 0.5,
                                                       "ReadCapacityUnits": 0.5, "Table": {"CapacityUnits": 0.5}}})),
    "scan-count-only": (SCAN, S200 | CRC_SPACES, b'{"Count":0,"ScannedCount":1e3,"Items":[]}'),
    "get-item": (GET, S200, j({"Item": item})),
    "get-none": (GET, S200, b"{}"),
    "update-attributes": (UPDATE, S200, j({"Attributes": {"v": {"N": "2"}},
                                           "ConsumedCapacity": {"TableName": "t", "CapacityUnits": 1}})),
    "put-empty": (PUT, S200 | CRC_WRONG, b"{}"),
    "transact-capacity": (TRANSACT, S200, b'{"ConsumedCapacity":[{"TableName":"t","WriteCapacityUnits":2}]}'),
    "describe-table": (DESCRIBE, S200, j({"Table": table})),
    "create-table": (CREATE, S200, j({"TableDescription": {"TableName": "t", "KeySchema": table["KeySchema"],
                                                           "ProvisionedThroughput": {"ReadCapacityUnits": 5,
                                                                                     "WriteCapacityUnits": 5}}})),
    "delete-table-bad-billing": (DELETE, S200, b'{"TableDescription":{"TableName":"t","BillingModeSummary":'
                                               b'{"BillingMode":"ON_DEMAND"}}}'),
    "list-tables": (LIST, S200, b'{"TableNames":["a","b"],"LastEvaluatedTableName":"b"}'),
    "error-validation-values": (BATCH, S400, j({"__type": "com.amazon.coral.validate#ValidationException",
                                                "message": "1 validation error detected: Value 'secret-item' at "
                                                           "'requestItems.t.member.1' failed; Value '' at 'x'; "
                                                           "value 'y' at z; Value 'unterminated"})),
    "error-throttled": (PUT, S400 | ERRORTYPE, j({"__type": "com.amazonaws.dynamodb.v20120810#"
                                                            "ProvisionedThroughputExceededException",
                                                  "message": "The level of configured provisioned throughput for "
                                                             "the table was exceeded."})),
    "error-transaction-cancelled": (TRANSACT, S400, j({
        "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons "
                   "[ConditionalCheckFailed, None]",
        "CancellationReasons": [{"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
                                {"Code": "None"}]})),
    "error-auth": (DESCRIBE, S400, b'{"__type":"com.amazon.coral.service#UnrecognizedClientException",'
                                   b'"message":"The security token included in the request is invalid."}'),
    "error-type-odd": (QUERY, S400, b'{"__type":"#","message":null,"Message":7}'),
    "error-type-empty": (SCAN, S500 | ERRORTYPE, b'{"__type":"","CancellationReasons":[{}]}'),
    "error-internal": (GET, S500 | CRC_OK, b'{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError",'
                                           b'"message":"Internal server error"}'),
    "error-html": (UPDATE, S413, b"<html><body><h1>413 Request Entity Too Large</h1></body></html>"),
    "error-empty-body": (LIST, S500, b""),
}


def write(target, name, data):
    path = ROOT / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def main():
    for name, (function, body) in payload_seeds.items():
        write("FuzzPayloadParser", name, bytes([function]) + body)
    for name, body in attribute_seeds.items():
        write("FuzzAttributeValue", name, body)
    for name, (operation, flags, body) in response_seeds.items():
        write("FuzzDynamoDBResponses", name, bytes([operation, flags]) + body)
    total = sum(p.stat().st_size for p in ROOT.rglob("*") if p.is_file())
    count = sum(1 for p in ROOT.rglob("*") if p.is_file())
    print(f"{ROOT}: {count} files, {total} bytes")


if __name__ == "__main__":
    main()
