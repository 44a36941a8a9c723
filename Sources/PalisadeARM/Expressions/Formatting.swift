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
        var out = ""
        writeJSON(value, into: &out, indent: nil, level: 0, sortKeys: false)
        return out
    }

    /// Pretty JSON with 2-space indentation and sorted keys.
    static func prettyJSON(_ value: ARMValue) -> String {
        var out = ""
        writeJSON(value, into: &out, indent: "  ", level: 0, sortKeys: true)
        return out
    }

    static func writeJSON(_ value: ARMValue, into out: inout String, indent: String?, level: Int, sortKeys: Bool) {
        let nl = indent == nil ? "" : "\n"
        let pad = { (n: Int) -> String in indent.map { String(repeating: $0, count: n) } ?? "" }
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? number(d) : "null"
        case .string(let s): out += quote(s)
        case .unknown(let why): out += quote("[unknown: \(why)]")
        case .secret: out += quote("[secret]")
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "[" + nl
            for (n, e) in a.enumerated() {
                out += pad(level + 1)
                writeJSON(e, into: &out, indent: indent, level: level + 1, sortKeys: sortKeys)
                out += (n + 1 < a.count ? "," : "") + nl
            }
            out += pad(level) + "]"
        case .object(let o):
            let visible = o.entries.filter { !$0.key.hasPrefix(ARMObject.runtimeMarker) }
            if visible.isEmpty { out += "{}"; return }
            out += "{" + nl
            let entries = sortKeys ? visible.sorted { $0.key < $1.key } : visible
            for (n, e) in entries.enumerated() {
                out += pad(level + 1) + quote(e.key) + (indent == nil ? ":" : ": ")
                writeJSON(e.value, into: &out, indent: indent, level: level + 1, sortKeys: sortKeys)
                out += (n + 1 < entries.count ? "," : "") + nl
            }
            out += pad(level) + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// .NET composite formatting: `{index[,alignment][:format]}`, with `{{` and `}}` escapes.
    static func composite(_ pattern: String, _ args: [ARMValue]) throws -> String {
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
                    alignment = Int(head[head.index(after: comma)...].trimmingCharacters(in: .whitespaces)) ?? 0
                    head = String(head[..<comma])
                }
                guard let index = Int(head.trimmingCharacters(in: .whitespaces)), index >= 0, index < args.count else {
                    throw ARMEvalError("format item '{\(body)}' refers to argument \(head) but only \(args.count) were given", code: "arm.format")
                }
                var text = formatValue(args[index], spec)
                if abs(alignment) > text.count {
                    let fill = String(repeating: " ", count: abs(alignment) - text.count)
                    text = alignment > 0 ? fill + text : text + fill
                }
                out += text
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

    static func formatValue(_ value: ARMValue, _ spec: String?) -> String {
        guard let spec, !spec.isEmpty else { return string(value) }
        let number: Double
        switch value {
        case .int(let i): number = Double(i)
        case .double(let d): number = d
        default: return string(value)
        }
        let letter = spec.first!.uppercased()
        let precision = Int(spec.dropFirst())
        switch letter {
        case "N":
            return grouped(number, decimals: precision ?? 2)
        case "F":
            return fixed(number, decimals: precision ?? 2)
        case "D":
            if case .int(let i) = value {
                let s = String(abs(i))
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
            while text.hasSuffix("0") && text.split(separator: ".").last!.count > minDecimals { text.removeLast() }
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
