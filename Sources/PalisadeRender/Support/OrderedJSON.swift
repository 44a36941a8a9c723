/// A JSON value whose object members keep the order they were given, printed with two-space indentation
/// (the layout `az` and VS Code use for templates), so the same input always gives the same bytes.
indirect enum OrderedJSON: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    /// The document followed by a newline.
    func rendered() -> String { lines(indent: 0).joined(separator: "\n") + "\n" }

    private func lines(indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent + 2)
        let closing = String(repeating: " ", count: indent)
        switch self {
        case .string(let text): return [Self.quote(text)]
        case .int(let number): return [String(number)]
        case .bool(let flag): return [flag ? "true" : "false"]
        case .null: return ["null"]
        case .array(let values):
            if values.isEmpty { return ["[]"] }
            var out = ["["]
            for (index, value) in values.enumerated() {
                var inner = value.lines(indent: indent + 2)
                inner[0] = pad + inner[0]
                if index < values.count - 1 { inner[inner.count - 1] += "," }
                out += inner
            }
            out.append(closing + "]")
            return out
        case .object(let members):
            if members.isEmpty { return ["{}"] }
            var out = ["{"]
            for (index, (key, value)) in members.enumerated() {
                var inner = value.lines(indent: indent + 2)
                inner[0] = pad + Self.quote(key) + ": " + inner[0]
                if index < members.count - 1 { inner[inner.count - 1] += "," }
                out += inner
            }
            out.append(closing + "}")
            return out
        }
    }

    /// JSON string escaping (quotes, backslashes and control characters).
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
