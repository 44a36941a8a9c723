/// A small HCL document model printed the way `terraform fmt` prints it: two-space indent, `=` aligned across
/// consecutive single-line attributes, a blank line between top-level blocks.
struct HCLBlock: Sendable {
    /// Block type and labels, e.g. `["resource", "azurerm_subnet", "main"]`; labels are quoted on output.
    var header: [String]
    /// Body items in order.
    var items: [HCLItem] = []

    init(_ header: String..., items: [HCLItem] = []) {
        self.header = header
        self.items = items
    }

    init(header: [String], items: [HCLItem] = []) {
        self.header = header
        self.items = items
    }

    /// Appends `key = value`.
    mutating func attr(_ key: String, _ value: HCLValue) { items.append(.attribute(key, value)) }
    /// Appends `key = value` when `value` is non-nil.
    mutating func attr(_ key: String, _ value: HCLValue?) { if let value { items.append(.attribute(key, value)) } }
    /// Appends a nested block.
    mutating func block(_ block: HCLBlock) { items.append(.block(block)) }
    /// Appends a comment line (`# …`).
    mutating func comment(_ text: String) { items.append(.comment(text)) }
    /// Appends a blank line that breaks `=` alignment groups.
    mutating func blank() { items.append(.blank) }
}

/// One item of a block body.
enum HCLItem: Sendable {
    case attribute(String, HCLValue)
    case block(HCLBlock)
    case comment(String)
    case blank
}

/// An attribute value.
indirect enum HCLValue: Sendable {
    /// A quoted string; `${` and `%{` are escaped.
    case string(String)
    /// A quoted template that may contain `${…}` interpolations (not escaped).
    case template(String)
    /// A bare expression, e.g. `azurerm_subnet.main.id`.
    case expr(String)
    case int(Int)
    case bool(Bool)
    case list([HCLValue])
    /// An object with keys in the given order; printed on several lines.
    case object([(String, HCLValue)])

    /// A list of quoted strings.
    static func strings(_ values: [String]) -> HCLValue { .list(values.map { .string($0) }) }
}

enum HCL {
    /// Escapes a string for a quoted HCL literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        var previous: Character?
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "{" where previous == "$" || previous == "%":
                out.removeLast()
                out += "\(previous!)\(previous!){"
            default: out.append(character)
            }
            previous = character
        }
        return out + "\""
    }

    /// Prints top-level blocks separated by blank lines, with an optional leading comment header.
    static func render(_ blocks: [HCLBlock], header: [String] = []) -> String {
        var lines = header.map { $0.isEmpty ? "#" : "# \($0)" }
        if !lines.isEmpty, !blocks.isEmpty { lines.append("") }
        for (index, block) in blocks.enumerated() {
            if index > 0 { lines.append("") }
            lines += renderBlock(block, indent: 0)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func renderBlock(_ block: HCLBlock, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let head = ([block.header[0]] + block.header.dropFirst().map { quote($0) }).joined(separator: " ")
        if block.items.isEmpty { return ["\(pad)\(head) {}"] }
        var lines = ["\(pad)\(head) {"]
        lines += renderBody(block.items, indent: indent + 2)
        lines.append("\(pad)}")
        return lines
    }

    /// Renders body items; consecutive attributes form an alignment group (as in `terraform fmt`), which a
    /// blank line, a comment, a nested block or a multi-line value ends.
    private static func renderBody(_ items: [HCLItem], indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var group: [(String, [String])] = []
        func flush() {
            let width = group.map(\.0.count).max() ?? 0
            for (key, valueLines) in group {
                let padding = String(repeating: " ", count: width - key.count)
                lines.append("\(pad)\(key)\(padding) = \(valueLines[0])")
                lines += valueLines.dropFirst()
            }
            group = []
        }
        var previousWasBlock = false
        for item in items {
            switch item {
            case .attribute(let key, let value):
                if previousWasBlock { lines.append("") }
                previousWasBlock = false
                let rendered = renderValue(value, indent: indent)
                if rendered.count > 1 { flush() }
                group.append((key, rendered))
                if rendered.count > 1 { flush() }
            case .block(let block):
                flush()
                if !lines.isEmpty, lines.last != "" { lines.append("") }
                lines += renderBlock(block, indent: indent)
                previousWasBlock = true
            case .comment(let text):
                flush()
                if previousWasBlock { lines.append("") }
                previousWasBlock = false
                lines.append("\(pad)# \(text)")
            case .blank:
                flush()
                previousWasBlock = false
                if lines.last != "" { lines.append("") }
            }
        }
        flush()
        return lines
    }

    /// A value's lines; the first goes after `key = `, the rest are already indented.
    private static func renderValue(_ value: HCLValue, indent: Int) -> [String] {
        switch value {
        case .string(let text): return [quote(text)]
        case .template(let text): return ["\"\(text)\""]
        case .expr(let text): return [text]
        case .int(let number): return [String(number)]
        case .bool(let flag): return [flag ? "true" : "false"]
        case .list(let values):
            if values.isEmpty { return ["[]"] }
            let inline = values.map { renderValue($0, indent: indent) }
            let oneLine = "[" + inline.map { $0.joined() }.joined(separator: ", ") + "]"
            if inline.allSatisfy({ $0.count == 1 }), oneLine.count + indent <= 100 { return [oneLine] }
            let pad = String(repeating: " ", count: indent + 2)
            var lines = ["["]
            for element in values {
                let rendered = renderValue(element, indent: indent + 2)
                lines.append(pad + rendered[0] + (rendered.count == 1 ? "," : ""))
                if rendered.count > 1 {
                    lines += rendered.dropFirst().dropLast()
                    lines.append(rendered.last! + ",")
                }
            }
            lines.append(String(repeating: " ", count: indent) + "]")
            return lines
        case .object(let members):
            if members.isEmpty { return ["{}"] }
            let pad = String(repeating: " ", count: indent + 2)
            var lines = ["{"]
            var group: [(String, [String])] = []
            func flush() {
                let width = group.map(\.0.count).max() ?? 0
                for (label, rendered) in group {
                    lines.append("\(pad)\(label)\(String(repeating: " ", count: width - label.count)) = \(rendered[0])")
                    lines += rendered.dropFirst()
                }
                group = []
            }
            for (key, member) in members {
                let rendered = renderValue(member, indent: indent + 2)
                if rendered.count > 1 { flush() }
                group.append((objectKey(key), rendered))
                if rendered.count > 1 { flush() }
            }
            flush()
            lines.append(String(repeating: " ", count: indent) + "}")
            return lines
        }
    }

    private static func objectKey(_ key: String) -> String {
        let isIdentifier = key.first.map { $0.isLetter || $0 == "_" } ?? false
            && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        return isIdentifier ? key : quote(key)
    }
}
