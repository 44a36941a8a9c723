import PalisadeModel

/// A set of `UInt32` values held as sorted, disjoint, non-adjacent closed intervals.
///
/// Used for IPv4 addresses (universe 0…2³²−1) and ports (universe 0…65535). Every operation keeps the
/// canonical form, so two equal sets compare equal with `==`.
public struct IntervalSet: Hashable, Sendable, Codable {
    /// A closed interval `lower…upper`.
    public struct Interval: Hashable, Sendable, Codable, Comparable {
        /// First value.
        public var lower: UInt32
        /// Last value (inclusive).
        public var upper: UInt32

        /// Creates an interval; `lower` must not exceed `upper`.
        public init(_ lower: UInt32, _ upper: UInt32) {
            self.lower = lower
            self.upper = upper
        }
        public static func < (lhs: Interval, rhs: Interval) -> Bool { (lhs.lower, lhs.upper) < (rhs.lower, rhs.upper) }
    }

    /// The canonical intervals, sorted and neither overlapping nor adjacent.
    public private(set) var intervals: [Interval]

    /// The empty set.
    public init() { intervals = [] }

    /// A set from arbitrary intervals (normalised).
    public init(_ intervals: [Interval]) {
        self.intervals = IntervalSet.normalise(intervals)
    }

    /// A single interval.
    public init(_ lower: UInt32, _ upper: UInt32) {
        intervals = lower <= upper ? [Interval(lower, upper)] : []
    }

    /// The empty set.
    public static let empty = IntervalSet()
    /// Every IPv4 address.
    public static let allAddresses = IntervalSet(0, UInt32.max)
    /// Every port.
    public static let allPorts = IntervalSet(0, 65535)

    /// Whether the set is empty.
    public var isEmpty: Bool { intervals.isEmpty }

    /// Number of values (may exceed `UInt32.max`).
    public var count: UInt64 { intervals.reduce(0) { $0 + UInt64($1.upper - $1.lower) + 1 } }

    /// The smallest value, if any.
    public var first: UInt32? { intervals.first?.lower }

    /// Whether `value` is in the set.
    /// - Complexity: O(log n).
    public func contains(_ value: UInt32) -> Bool {
        var low = 0
        var high = intervals.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let interval = intervals[mid]
            if value < interval.lower { high = mid - 1 } else if value > interval.upper { low = mid + 1 } else { return true }
        }
        return false
    }

    /// Whether every value of `other` is in this set.
    public func isSuperset(of other: IntervalSet) -> Bool { other.subtracting(self).isEmpty }

    /// Union.
    /// - Complexity: O(n + m).
    public func union(_ other: IntervalSet) -> IntervalSet {
        if other.isEmpty { return self }
        if isEmpty { return other }
        if max(intervals.count, other.intervals.count) >= IntervalSetMemo.threshold {
            return IntervalSetMemo.result(.union, intervals, other.intervals) { merging(other) }
        }
        return merging(other)
    }

    private func merging(_ other: IntervalSet) -> IntervalSet {
        var merged: [Interval] = []
        merged.reserveCapacity(intervals.count + other.intervals.count)
        var i = 0
        var j = 0
        while i < intervals.count || j < other.intervals.count {
            let next: Interval
            if j >= other.intervals.count || (i < intervals.count && intervals[i].lower <= other.intervals[j].lower) {
                next = intervals[i]
                i += 1
            } else {
                next = other.intervals[j]
                j += 1
            }
            IntervalSet.append(next, to: &merged)
        }
        var result = IntervalSet()
        result.intervals = merged
        return result
    }

    /// Intersection.
    /// - Complexity: O(n + m), or O(n log m) when this set is much smaller than `other` (and vice versa).
    public func intersection(_ other: IntervalSet) -> IntervalSet {
        if isEmpty || other.isEmpty { return .empty }
        if other.intervals.count == 1 && other.intervals[0].lower <= intervals[0].lower
            && other.intervals[0].upper >= intervals[intervals.count - 1].upper { return self }
        if intervals.count == 1 && intervals[0].lower <= other.intervals[0].lower
            && intervals[0].upper >= other.intervals[other.intervals.count - 1].upper { return other }
        if max(intervals.count, other.intervals.count) >= IntervalSetMemo.threshold {
            return IntervalSetMemo.result(.intersection, intervals, other.intervals) { intersection(computing: other) }
        }
        return intersection(computing: other)
    }

    /// Intersection by binary search when one side is much smaller, else by one merge pass.
    private func intersection(computing other: IntervalSet) -> IntervalSet {
        if intervals.count * 8 < other.intervals.count { return other.intersection(probing: self) }
        if other.intervals.count * 8 < intervals.count { return intersection(probing: other) }
        return intersection(merging: other)
    }

    /// Intersection by one merge pass over both sets.
    private func intersection(merging other: IntervalSet) -> IntervalSet {
        var result: [Interval] = []
        var i = 0
        var j = 0
        while i < intervals.count, j < other.intervals.count {
            let a = intervals[i]
            let b = other.intervals[j]
            let lower = max(a.lower, b.lower)
            let upper = min(a.upper, b.upper)
            if lower <= upper { result.append(Interval(lower, upper)) }
            if a.upper < b.upper { i += 1 } else { j += 1 }
        }
        var set = IntervalSet()
        set.intervals = result
        return set
    }

    /// The index of the first interval whose upper end is at least `value` (binary search).
    private func firstIndex(reaching value: UInt32, from start: Int = 0) -> Int {
        var low = start
        var high = intervals.count
        while low < high {
            let mid = (low + high) / 2
            if intervals[mid].upper < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Intersection with a much smaller set: one binary search per interval of `small`.
    private func intersection(probing small: IntervalSet) -> IntervalSet {
        var result: [Interval] = []
        var start = 0
        for probe in small.intervals {
            start = firstIndex(reaching: probe.lower, from: start)
            var k = start
            while k < intervals.count, intervals[k].lower <= probe.upper {
                result.append(Interval(max(intervals[k].lower, probe.lower), min(intervals[k].upper, probe.upper)))
                k += 1
            }
        }
        var set = IntervalSet()
        set.intervals = result
        return set
    }

    /// Values in this set and not in `other`.
    /// - Complexity: O(n + m), or O(n log m) when `other` is much larger.
    public func subtracting(_ other: IntervalSet) -> IntervalSet {
        if other.isEmpty || isEmpty { return self }
        if intervals[intervals.count - 1].upper < other.intervals[0].lower
            || other.intervals[other.intervals.count - 1].upper < intervals[0].lower { return self }
        if max(intervals.count, other.intervals.count) >= IntervalSetMemo.threshold {
            return IntervalSetMemo.result(.subtracting, intervals, other.intervals) { removing(other) }
        }
        return removing(other)
    }

    private func removing(_ other: IntervalSet) -> IntervalSet {
        var result: [Interval] = []
        var j = 0
        for interval in intervals {
            var lower = UInt64(interval.lower)
            let upper = UInt64(interval.upper)
            if j < other.intervals.count, UInt64(other.intervals[j].upper) < lower {
                j = other.firstIndex(reaching: interval.lower, from: j)
            }
            var k = j
            while k < other.intervals.count, UInt64(other.intervals[k].lower) <= upper, lower <= upper {
                let cut = other.intervals[k]
                if UInt64(cut.lower) > lower { result.append(Interval(UInt32(lower), cut.lower - 1)) }
                lower = UInt64(cut.upper) + 1
                k += 1
            }
            if lower <= upper { result.append(Interval(UInt32(lower), UInt32(upper))) }
        }
        var set = IntervalSet()
        set.intervals = result
        return set
    }

    /// Whether the two sets share a value (no allocation).
    /// - Complexity: O(n + m), or O(n log m) when one set is much smaller.
    public func intersects(_ other: IntervalSet) -> Bool {
        if isEmpty || other.isEmpty { return false }
        if intervals[intervals.count - 1].upper < other.intervals[0].lower
            || other.intervals[other.intervals.count - 1].upper < intervals[0].lower { return false }
        if intervals.count * 8 < other.intervals.count { return other.intersects(probing: self) }
        if other.intervals.count * 8 < intervals.count { return intersects(probing: other) }
        var i = 0
        var j = 0
        while i < intervals.count, j < other.intervals.count {
            let a = intervals[i]
            let b = other.intervals[j]
            if a.upper < b.lower { i += 1 } else if b.upper < a.lower { j += 1 } else { return true }
        }
        return false
    }

    /// Whether some value in `lower...upper` is in the set (binary search, no allocation).
    func intersects(lower: UInt32, upper: UInt32) -> Bool {
        let index = firstIndex(reaching: lower)
        return index < intervals.count && intervals[index].lower <= upper
    }

    private func intersects(probing small: IntervalSet) -> Bool {
        var start = 0
        for probe in small.intervals {
            start = firstIndex(reaching: probe.lower, from: start)
            if start == intervals.count { return false }
            if intervals[start].lower <= probe.upper { return true }
        }
        return false
    }

    private static func append(_ next: Interval, to merged: inout [Interval]) {
        if let last = merged.last, UInt64(next.lower) <= UInt64(last.upper) + 1 {
            if next.upper > last.upper { merged[merged.count - 1].upper = next.upper }
        } else {
            merged.append(next)
        }
    }

    private static func normalise(_ raw: [Interval]) -> [Interval] {
        var merged: [Interval] = []
        for interval in raw.filter({ $0.lower <= $0.upper }).sorted() { append(interval, to: &merged) }
        return merged
    }
}

extension IntervalSet {
    /// The addresses of one prefix.
    public init(prefix: IPv4Prefix) { self.init(prefix.network.value, prefix.last.value) }

    /// The addresses of several prefixes.
    public init(prefixes: [IPv4Prefix]) { self.init(prefixes.map { Interval($0.network.value, $0.last.value) }) }

    /// One address.
    public init(address: IPv4Address) { self.init(address.value, address.value) }

    /// Ports of a `PortMatch` (docs/semantics.md#nsg-rule-model).
    public init(ports: PortMatch) {
        switch ports {
        case .any: self = .allPorts
        case .ranges(let ranges):
            self.init(ranges.map { Interval(UInt32(max(0, $0.lower)), UInt32(min(65535, $0.upper))) })
        }
    }

    /// The set as the fewest CIDR prefixes (for addresses), in address order.
    public var prefixes: [IPv4Prefix] {
        var result: [IPv4Prefix] = []
        for interval in intervals {
            var start = UInt64(interval.lower)
            let end = UInt64(interval.upper)
            while start <= end {
                var length = 32
                while length > 0 {
                    let size = UInt64(1) << UInt64(32 - (length - 1))
                    if start % size != 0 || start + size - 1 > end { break }
                    length -= 1
                }
                result.append(IPv4Prefix(IPv4Address(UInt32(start)), length: length))
                start += UInt64(1) << UInt64(32 - length)
            }
        }
        return result
    }

    /// Text for addresses: CIDRs joined by commas (`/32` shown as a bare address); `any` for everything.
    public var addressText: String {
        if self == .allAddresses { return "0.0.0.0/0" }
        var bytes: [UInt8] = []
        for prefix in prefixes {
            if !bytes.isEmpty { bytes.append(0x2C) }
            prefix.network.appendText(to: &bytes)
            if prefix.length < 32 {
                bytes.append(0x2F)
                if prefix.length >= 10 { bytes.append(0x30 + UInt8(prefix.length / 10)) }
                bytes.append(0x30 + UInt8(prefix.length % 10))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Text for ports: `*`, or ranges joined by commas.
    public var portText: String {
        if self == .allPorts { return "*" }
        return intervals.map { $0.lower == $0.upper ? "\($0.lower)" : "\($0.lower)-\($0.upper)" }.joined(separator: ",")
    }
}
