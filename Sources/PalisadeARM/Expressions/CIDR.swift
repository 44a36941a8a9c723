import Foundation

/// IPv4 and IPv6 CIDR arithmetic for `parseCidr`, `cidrSubnet` and `cidrHost`.
enum CIDR {
    /// An address as a 128-bit value (IPv4 uses the low 32 bits).
    struct Network {
        var high: UInt64
        var low: UInt64
        var isV6: Bool
        var prefix: Int
        var bits: Int { isV6 ? 128 : 32 }
    }

    static func parse(_ text: String) -> Network? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]) else { return nil }
        if parts[0].contains(":") {
            guard let (h, l) = parseV6(String(parts[0])), (0...128).contains(prefix) else { return nil }
            var n = Network(high: h, low: l, isV6: true, prefix: prefix)
            n = masked(n)
            return n
        }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, (0...32).contains(prefix) else { return nil }
        var v: UInt64 = 0
        for o in octets {
            guard let b = UInt64(o), b < 256 else { return nil }
            v = v << 8 | b
        }
        return masked(Network(high: 0, low: v, isV6: false, prefix: prefix))
    }

    static func mask(_ prefix: Int, bits: Int) -> (UInt64, UInt64) {
        if bits == 32 {
            return (0, prefix == 0 ? 0 : (UInt64(0xFFFF_FFFF) << UInt64(32 - prefix)) & 0xFFFF_FFFF)
        }
        let hi: UInt64 = prefix >= 64 ? .max : (prefix == 0 ? 0 : .max << UInt64(64 - prefix))
        let lo: UInt64 = prefix <= 64 ? 0 : (prefix == 128 ? .max : .max << UInt64(128 - prefix))
        return (hi, lo)
    }

    static func masked(_ n: Network) -> Network {
        let (mh, ml) = mask(n.prefix, bits: n.bits)
        return Network(high: n.high & mh, low: n.low & ml, isV6: n.isV6, prefix: n.prefix)
    }

    static func add(_ n: Network, _ value: (UInt64, UInt64)) -> (UInt64, UInt64) {
        let (lo, carry) = n.low.addingReportingOverflow(value.1)
        return (n.high &+ value.0 &+ (carry ? 1 : 0), lo)
    }

    /// `value << shift` as 128 bits.
    static func shifted(_ value: UInt64, _ shift: Int) -> (UInt64, UInt64) {
        if shift >= 128 { return (0, 0) }
        if shift == 0 { return (0, value) }
        if shift >= 64 { return (value << UInt64(shift - 64), 0) }
        return (value >> UInt64(64 - shift), value << UInt64(shift))
    }

    static func text(_ high: UInt64, _ low: UInt64, v6: Bool) -> String {
        if !v6 {
            return [24, 16, 8, 0].map { String((low >> UInt64($0)) & 0xFF) }.joined(separator: ".")
        }
        var groups: [UInt16] = []
        for s in [48, 32, 16, 0] { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(s))) }
        for s in [48, 32, 16, 0] { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(s))) }
        // Longest run of zero groups (length ≥ 2) becomes "::" (RFC 5952).
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else { i += 1 }
        }
        let hex = groups.map { String($0, radix: 16) }
        if bestStart < 0 { return hex.joined(separator: ":") }
        let head = hex[0..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLen)...].joined(separator: ":")
        return head + "::" + tail
    }

    static func parseV6(_ text: String) -> (UInt64, UInt64)? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for g in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard let v = UInt16(g, radix: 16), g.count <= 4 else { return nil }
                out.append(v)
            }
            return out
        }
        guard let first = groups(halves[0]) else { return nil }
        var all = first
        if halves.count == 2 {
            guard let second = groups(halves[1]), first.count + second.count < 8 else { return nil }
            all += [UInt16](repeating: 0, count: 8 - first.count - second.count) + second
        }
        guard all.count == 8 else { return nil }
        var h: UInt64 = 0, l: UInt64 = 0
        for g in all[0..<4] { h = h << 16 | UInt64(g) }
        for g in all[4..<8] { l = l << 16 | UInt64(g) }
        return (h, l)
    }
}

