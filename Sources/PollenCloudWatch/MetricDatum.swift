import Foundation

/// One CloudWatch data point: a metric name, its dimensions, and either one value or the
/// statistics of many values collected over a period.
public struct MetricDatum: Sendable, Equatable {
    /// CloudWatch units Pollen uses.
    public enum Unit: String, Sendable {
        case count = "Count", seconds = "Seconds", none = "None"
    }

    /// Sample count, sum, minimum and maximum of values collected over a period.
    public struct Statistics: Sendable, Equatable {
        public var sampleCount: Double
        public var sum: Double
        public var minimum: Double
        public var maximum: Double

        public init(sampleCount: Double, sum: Double, minimum: Double, maximum: Double) {
            self.sampleCount = sampleCount
            self.sum = sum
            self.minimum = minimum
            self.maximum = maximum
        }
    }

    public enum Measurement: Sendable, Equatable {
        case value(Double)
        case statistics(Statistics)
    }

    public var name: String
    public var dimensions: [(name: String, value: String)]
    public var measurement: Measurement
    public var unit: Unit
    public var timestamp: Date

    public init(name: String, dimensions: [(name: String, value: String)] = [], measurement: Measurement, unit: Unit,
                timestamp: Date) {
        self.name = name
        self.dimensions = dimensions
        self.measurement = measurement
        self.unit = unit
        self.timestamp = timestamp
    }

    public static func == (lhs: MetricDatum, rhs: MetricDatum) -> Bool {
        lhs.name == rhs.name && lhs.measurement == rhs.measurement && lhs.unit == rhs.unit
            && lhs.timestamp == rhs.timestamp
            && lhs.dimensions.elementsEqual(rhs.dimensions) { $0.name == $1.name && $0.value == $1.value }
    }
}
