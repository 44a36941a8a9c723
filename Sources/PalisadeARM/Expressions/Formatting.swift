import Foundation

/// Text conversions shared by `string()`, `concat()`, `format()` and the JSON renderer.
enum ARMText {
    /// `string()` of a value: strings as is, `True`/`False`, compact JSON for arrays and objects.
    static func string(_ value: ARMValue) -> String {
        switch value {
        case .string(let s): s
        case .bool(let b): b ? "True" : "False"
        case .int(let i): String(i)
        case .double(let d): number(d)
        case .null: ""
        case .unknown(let why): "[unknown: \(why)]"
        case .secret: "[secret]"
        case .array, .object: compactJSON(value)
        }
    }

    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    /// Compact JSON (keys in insertion order), as Azure prints objects inside strings.
    static func compactJSON(_ value: ARMValue) -> String {
        var out: [UInt8] = []
        writeJSON(value, into: &out, indent: false, level: 0, sortKeys: false)
        return String(decoding: out, as: UTF8.self)
    }

    /// Pretty JSON with 2-space indentation and sorted keys; internal marker keys are left out.
    static func prettyJSON(_ value: ARMValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        writeJSON(value, into: &out, indent: true, level: 0, sortKeys: true)
        return String(decoding: out, as: UTF8.self)
    }

    private static func newline(_ out: inout [UInt8], _ indent: Bool, _ level: Int) {
        guard indent else { return }
        out.append(0x0A)
        for _ in 0..<(level * 2) { out.append(0x20) }
    }

    static func writeJSON(_ value: ARMValue, into out: inout [UInt8], indent: Bool, level: Int, sortKeys: Bool) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: (d.isFinite ? number(d) : "null").utf8)
        case .string(let s): quote(s, into: &out)
        case .unknown(let why): quote("[unknown: \(why)]", into: &out)
        case .secret: quote("[secret]", into: &out)
        case .array(let a):
            if a.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (n, e) in a.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent, level + 1)
                writeJSON(e, into: &out, indent: indent, level: level + 1, sortKeys: sortKeys)
            }
            newline(&out, indent, level)
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            var entries = o.entries.filter { !$0.key.hasPrefix(ARMObject.runtimeMarker) }
            if entries.isEmpty { out.append(contentsOf: "{}".utf8); return }
            if sortKeys { entries.sort { $0.key < $1.key } }
            out.append(UInt8(ascii: "{"))
            for (n, e) in entries.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent, level + 1)
                quote(e.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent { out.append(0x20) }
                writeJSON(e.value, into: &out, indent: indent, level: level + 1, sortKeys: sortKeys)
            }
            newline(&out, indent, level)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        quote(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    /// .NET composite formatting: `{index[,alignment][:format]}`, with `{{` and `}}` escapes.
    /// Azure evaluates `format()` with .NET, which rejects an alignment wider than 1,000,000
    /// (https://learn.microsoft.com/dotnet/standard/base-types/composite-formatting#alignment-component).
    static let maxAlignment = 1_000_000
    /// Largest precision of a standard numeric format (`F`, `N`, `D`, …); .NET Framework allows 0–99
    /// (https://learn.microsoft.com/dotnet/standard/base-types/standard-numeric-format-strings).
    static let maxPrecision = 99

    static func composite(_ pattern: String, _ args: [ARMValue], maxBytes: Int = 4 * 1024 * 1024) throws -> String {
        let chars = Array(pattern)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count && chars[i + 1] == "{" { out.append("{"); i += 2; continue }
                guard let close = chars[i...].firstIndex(of: "}") else {
                    throw ARMEvalError("format string has a '{' without a matching '}'", code: "arm.format")
                }
                let body = String(chars[(i + 1)..<close])
                var spec: String? = nil
                var head = body
                if let colon = body.firstIndex(of: ":") {
                    spec = String(body[body.index(after: colon)...])
                    head = String(body[..<colon])
                }
                var alignment = 0
                if let comma = head.firstIndex(of: ",") {
                    let text = head[head.index(after: comma)...].trimmingCharacters(in: .whitespaces)
                    guard let parsed = Int(text), parsed.magnitude <= UInt(maxAlignment) else {
                        throw ARMEvalError("format item '{\(body)}' has alignment '\(text)'; it must be an integer between -\(maxAlignment) and \(maxAlignment)",
                                           code: "arm.format")
                    }
                    alignment = parsed
                    head = String(head[..<comma])
                }
                guard let index = Int(head.trimmingCharacters(in: .whitespaces)), index >= 0, index < args.count else {
                    throw ARMEvalError("format item '{\(body)}' refers to argument \(head) but only \(args.count) were given", code: "arm.format")
                }
                var text = try formatValue(args[index], spec)
                if abs(alignment) > text.count {
                    let fill = String(repeating: " ", count: abs(alignment) - text.count)
                    text = alignment > 0 ? fill + text : text + fill
                }
                out += text
                guard out.utf8.count <= maxBytes else {
                    throw ARMEvalError("format() builds a string longer than \(maxBytes / (1024 * 1024)) MB, more than a whole Azure template may hold",
                                       code: "arm.value-too-large")
                }
                i = close + 1
            } else if c == "}" {
                if i + 1 < chars.count && chars[i + 1] == "}" { out.append("}"); i += 2; continue }
                throw ARMEvalError("format string has a '}' without a matching '{'; write '}}' for a literal brace", code: "arm.format")
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    static func formatValue(_ value: ARMValue, _ spec: String?) throws -> String {
        guard let spec, let first = spec.first else { return string(value) }
        let number: Double
        switch value {
        case .int(let i): number = Double(i)
        case .double(let d): number = d
        default: return string(value)
        }
        let letter = first.uppercased()
        let precision = Int(spec.dropFirst())
        if "NFDXCPEG".contains(letter), spec.count > 1, spec.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let precision, precision <= maxPrecision else {
                throw ARMEvalError("format specifier '\(spec)' has precision '\(spec.dropFirst())'; it must be 0 to \(maxPrecision)", code: "arm.format")
            }
        }
        switch letter {
        case "N":
            return grouped(number, decimals: precision ?? 2)
        case "F":
            return fixed(number, decimals: precision ?? 2)
        case "D":
            if case .int(let i) = value {
                let s = String(i.magnitude)
                return (i < 0 ? "-" : "") + String(repeating: "0", count: max(0, (precision ?? 0) - s.count)) + s
            }
            return string(value)
        case "X":
            if case .int(let i) = value {
                var s = String(UInt64(bitPattern: i), radix: 16)
                if spec.first == "X" { s = s.uppercased() }
                return String(repeating: "0", count: max(0, (precision ?? 0) - s.count)) + s
            }
            return string(value)
        case "C":
            let s = grouped(abs(number), decimals: precision ?? 2)
            return number < 0 ? "($\(s))" : "$\(s)"
        case "P":
            return grouped(number * 100, decimals: precision ?? 2) + " %"
        case "E":
            let s = String(format: "%.\(precision ?? 6)e", number)
            let parts = s.split(separator: "e")
            guard parts.count == 2, let exp = Int(parts[1]) else { return s }
            let e = String(format: "%03d", abs(exp))
            return parts[0] + (spec.first == "e" ? "e" : "E") + (exp < 0 ? "-" : "+") + e
        case "G":
            return string(value)
        default:
            guard spec.count <= 2 * maxPrecision else {
                throw ARMEvalError("custom numeric format '\(spec.prefix(20))…' is longer than \(2 * maxPrecision) characters", code: "arm.format")
            }
            return customNumber(number, spec)
        }
    }

    static func fixed(_ d: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f", d)
    }

    static func grouped(_ d: Double, decimals: Int) -> String {
        let s = fixed(abs(d), decimals: decimals)
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        var integer = String(parts[0])
        var groups: [String] = []
        while integer.count > 3 {
            groups.insert(String(integer.suffix(3)), at: 0)
            integer = String(integer.dropLast(3))
        }
        groups.insert(integer, at: 0)
        var out = groups.joined(separator: ",")
        if parts.count > 1 { out += "." + parts[1] }
        return (d < 0 && Double(s) != 0 ? "-" : "") + out
    }

    /// Custom numeric formats built from `0`, `#`, `,` and `.`.
    static func customNumber(_ d: Double, _ spec: String) -> String {
        let decimalsPart = spec.split(separator: ".", maxSplits: 1).dropFirst().first ?? ""
        let decimals = decimalsPart.filter { $0 == "0" || $0 == "#" }.count
        let minDecimals = decimalsPart.filter { $0 == "0" }.count
        let intPart = spec.split(separator: ".", maxSplits: 1).first ?? ""
        let minInt = intPart.filter { $0 == "0" }.count
        var text = intPart.contains(",") ? grouped(d, decimals: decimals) : fixed(d, decimals: decimals)
        if decimals > minDecimals, text.contains(".") {
            while text.hasSuffix("0") && (text.split(separator: ".").last?.count ?? 0) > minDecimals { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        let integerDigits = text.prefix { $0 != "." }.filter(\.isNumber).count
        if integerDigits < minInt {
            let zeros = String(repeating: "0", count: minInt - integerDigits)
            text = text.hasPrefix("-") ? "-" + zeros + text.dropFirst() : zeros + text
        }
        return text
    }
}
