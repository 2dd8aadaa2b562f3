import Foundation

/// The AWS query protocol's form encoding of `PutMetricData`:
/// `Action=PutMetricData&Version=2010-08-01&Namespace=…&MetricData.member.1.MetricName=…`.
enum QueryEncoding {
    static func putMetricData(namespace: String, data: [MetricDatum]) -> String {
        var fields: [(String, String)] = [("Action", "PutMetricData"), ("Version", "2010-08-01"), ("Namespace", namespace)]
        for (index, datum) in data.enumerated() {
            let member = "MetricData.member.\(index + 1)"
            fields.append(("\(member).MetricName", datum.name))
            for (position, dimension) in datum.dimensions.enumerated() {
                fields.append(("\(member).Dimensions.member.\(position + 1).Name", dimension.name))
                fields.append(("\(member).Dimensions.member.\(position + 1).Value", dimension.value))
            }
            switch datum.measurement {
            case .value(let value):
                fields.append(("\(member).Value", number(value)))
            case .statistics(let statistics):
                fields.append(("\(member).StatisticValues.SampleCount", number(statistics.sampleCount)))
                fields.append(("\(member).StatisticValues.Sum", number(statistics.sum)))
                fields.append(("\(member).StatisticValues.Minimum", number(statistics.minimum)))
                fields.append(("\(member).StatisticValues.Maximum", number(statistics.maximum)))
            }
            fields.append(("\(member).Unit", datum.unit.rawValue))
            fields.append(("\(member).Timestamp", timestamp(datum.timestamp)))
        }
        return fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - _ . ~`.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        allowed = allowed.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
