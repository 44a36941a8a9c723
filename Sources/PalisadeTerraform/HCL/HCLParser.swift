import Foundation

/// A syntax error with the position it was found at.
public struct HCLSyntaxError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// Where.
    public var position: HCLPosition
    /// How to fix it.
    public var fix: String?
    public var description: String { "\(position): \(message)" }
}

/// A recursive-descent parser for HCL native syntax (https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md),
/// working on bytes with every node located. Nesting is bounded, so hostile input fails with an error, never a crash.
public struct HCLParser {
    /// The deepest nesting of expressions and blocks accepted.
    public static let maxDepth = 128
    /// The largest file accepted (16 MiB).
    public static let maxBytes = 16 * 1024 * 1024

    private let bytes: [UInt8]
    private let file: String
    private var lineStarts: [Int] = [0]
    private let lineBase: Int
    private var i = 0
    private var depth = 0
    private var nesting = 0
    private let jsonStrings: Bool

    /// Creates a parser over `text`; `jsonStrings` reads strings literally (for `jsondecode`).
    public init(text: String, file: String, jsonStrings: Bool = false) {
        self.init(bytes: Array(text.utf8), file: file, lineBase: 0, jsonStrings: jsonStrings)
    }

    private init(bytes: [UInt8], file: String, lineBase: Int, jsonStrings: Bool) {
        self.bytes = bytes
        self.file = file
        self.lineBase = lineBase
        self.jsonStrings = jsonStrings
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(index + 1) }
    }

    /// Parses a whole `.tf` file.
    public static func parseFile(text: String, file: String) throws(HCLSyntaxError) -> HCLBody {
        var parser = HCLParser(text: text, file: file)
        try parser.checkSize()
        return try parser.parseBody(closing: false)
    }

    /// Parses one expression that must fill the text (a `--var` value, a `.tf.json` document, `jsondecode`).
    public static func parseExpression(text: String, file: String, jsonStrings: Bool = false) throws(HCLSyntaxError) -> HCLExpression {
        var parser = HCLParser(text: text, file: file, jsonStrings: jsonStrings)
        try parser.checkSize()
        parser.nesting = 1
        let expression = try parser.parseExpression()
        parser.skipTrivia()
        guard parser.i >= parser.bytes.count else { throw parser.error("unexpected text after the expression") }
        return expression
    }

    /// Parses a whole text as a template (a `templatefile` file): interpolations and directives, no quotes.
    public static func parseTemplate(text: String, file: String) throws(HCLSyntaxError) -> [HCLTemplatePart] {
        var parser = HCLParser(text: text, file: file)
        try parser.checkSize()
        let items = try parser.templateItems(quoted: false, end: parser.bytes.count, start: 0)
        return try parser.buildTemplate(items)
    }

    private func checkSize() throws(HCLSyntaxError) {
        if bytes.count > Self.maxBytes {
            throw HCLSyntaxError(message: "the file is larger than 16 MiB", position: position(0), fix: "split the configuration")
        }
    }

    // MARK: - Positions and characters

    private func position(_ offset: Int) -> HCLPosition {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return HCLPosition(file: file, line: lineBase + low + 1, column: offset - lineStarts[low] + 1)
    }

    private var here: HCLPosition { position(i) }

    private func error(_ message: String, fix: String? = nil, at offset: Int? = nil) -> HCLSyntaxError {
        HCLSyntaxError(message: message, position: position(offset ?? i), fix: fix)
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        let index = i + ahead
        return index < bytes.count ? bytes[index] : nil
    }

    private func at(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard i + utf8.count <= bytes.count else { return false }
        for (offset, byte) in utf8.enumerated() where bytes[i + offset] != byte { return false }
        return true
    }

    private static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b >= 0x80
    }

    private static func isIdentifierPart(_ b: UInt8) -> Bool {
        isIdentifierStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D
    }

    private static func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

    /// Skips spaces and comments; newlines too when inside brackets (or when `newlines`).
    private mutating func skipTrivia(newlines: Bool? = nil) {
        let skipNewlines = newlines ?? (nesting > 0)
        while let b = peek() {
            switch b {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A:
                guard skipNewlines else { return }
                i += 1
            case UInt8(ascii: "#"):
                while let c = peek(), c != 0x0A { i += 1 }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                while let c = peek(), c != 0x0A { i += 1 }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                i += 2
                while i < bytes.count, !(bytes[i] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) { i += 1 }
                i = min(i + 2, bytes.count)
            default: return
            }
        }
    }

    private mutating func identifier() -> String? {
        guard let b = peek(), Self.isIdentifierStart(b) else { return nil }
        let start = i
        while let c = peek(), Self.isIdentifierPart(c) { i += 1 }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func expect(_ text: String, _ what: String) throws(HCLSyntaxError) {
        skipTrivia()
        guard at(text) else {
            throw error("expected \(what)", fix: "check the brackets and quotes around this point")
        }
        i += text.utf8.count
    }

    private mutating func enter() throws(HCLSyntaxError) {
        depth += 1
        if depth > Self.maxDepth {
            throw error("nesting is deeper than \(Self.maxDepth) levels", fix: "simplify the expression")
        }
    }

    // MARK: - Bodies

    private mutating func parseBody(closing: Bool) throws(HCLSyntaxError) -> HCLBody {
        try enter()
        defer { depth -= 1 }
        var body = HCLBody()
        let saved = nesting
        nesting = 0
        defer { nesting = saved }
        while true {
            skipTrivia(newlines: true)
            guard let b = peek() else {
                if closing { throw error("missing '}' to close the block", fix: "add the closing brace") }
                return body
            }
            if b == UInt8(ascii: "}") {
                guard closing else { throw error("unexpected '}'", fix: "remove it or add the matching '{'") }
                i += 1
                return body
            }
            let start = i
            guard let name = identifier() else {
                throw error("expected an attribute name or a block type", fix: "attributes are written name = value; blocks type \"label\" { … }")
            }
            skipTrivia(newlines: false)
            if at("="), peek(1) != UInt8(ascii: "=") {
                i += 1
                let expression = try parseExpression()
                body.attributes.append(HCLAttribute(name: name, expression: expression, position: position(start)))
                if body.attributes.dropLast().contains(where: { $0.name == name }) {
                    throw error("attribute '\(name)' is set twice in this block", fix: "keep one of them", at: start)
                }
            } else {
                var labels: [String] = []
                while true {
                    skipTrivia(newlines: false)
                    if peek() == UInt8(ascii: "\"") {
                        let parts = try parseQuotedTemplate()
                        guard let text = Self.literalText(parts) else { throw error("a block label cannot contain interpolation") }
                        labels.append(text)
                    } else if let label = identifier() {
                        labels.append(label)
                    } else {
                        break
                    }
                }
                guard peek() == UInt8(ascii: "{") else {
                    throw error("expected '=' or '{' after '\(name)'", fix: "write \(name) = value for an attribute or \(name) { … } for a block")
                }
                i += 1
                let inner = try parseBody(closing: true)
                body.blocks.append(HCLBlock(type: name, labels: labels, body: inner, position: position(start)))
            }
            skipTrivia(newlines: false)
            if let c = peek(), c != 0x0A, !(closing && c == UInt8(ascii: "}")) {
                throw error("expected a new line after the \(body.blocks.last?.position.line == position(start).line ? "block" : "attribute")",
                            fix: "put each attribute and block on its own line")
            }
        }
    }

    static func literalText(_ parts: [HCLTemplatePart]) -> String? {
        var text = ""
        for part in parts {
            guard case .literal(let s) = part else { return nil }
            text += s
        }
        return text
    }

    // MARK: - Expressions

    mutating func parseExpression() throws(HCLSyntaxError) -> HCLExpression {
        try enter()
        defer { depth -= 1 }
        skipTrivia()
        let start = here
        let condition = try parseBinary(0)
        skipTrivia()
        guard peek() == UInt8(ascii: "?") else { return condition }
        i += 1
        nesting += 1
        let yes = try parseExpression()
        try expect(":", "':' of the conditional expression")
        nesting -= 1
        let no = try parseExpression()
        return HCLExpression(.conditional(condition, yes, no), start)
    }

    private static let levels: [[HCLBinaryOperator]] = [
        [.or], [.and], [.equal, .notEqual], [.lessEqual, .greaterEqual, .less, .greater],
        [.add, .subtract], [.multiply, .divide, .modulo],
    ]

    private mutating func binaryOperator(_ level: Int) -> HCLBinaryOperator? {
        skipTrivia()
        for op in Self.levels[level] where at(op.rawValue) {
            return op
        }
        return nil
    }

    private mutating func parseBinary(_ level: Int) throws(HCLSyntaxError) -> HCLExpression {
        if level == Self.levels.count { return try parseUnary() }
        try enter()
        defer { depth -= 1 }
        var lhs = try parseBinary(level + 1)
        while let op = binaryOperator(level) {
            i += op.rawValue.utf8.count
            let rhs = try parseBinary(level + 1)
            lhs = HCLExpression(.binary(op, lhs, rhs), lhs.position)
        }
        return lhs
    }

    private mutating func parseUnary() throws(HCLSyntaxError) -> HCLExpression {
        skipTrivia()
        let start = here
        if peek() == UInt8(ascii: "!") {
            i += 1
            try enter()
            defer { depth -= 1 }
            return HCLExpression(.not(try parseUnary()), start)
        }
        if peek() == UInt8(ascii: "-") {
            i += 1
            try enter()
            defer { depth -= 1 }
            return HCLExpression(.negate(try parseUnary()), start)
        }
        return try parsePostfix(try parseTerm())
    }

    private mutating func parsePostfix(_ base: HCLExpression) throws(HCLSyntaxError) -> HCLExpression {
        var expression = base
        var steps: [HCLTraverser] = []
        func flush() {
            guard !steps.isEmpty else { return }
            if case .traversal(let root, let existing) = expression.kind {
                expression = HCLExpression(.traversal(root, existing + steps), expression.position)
            } else {
                expression = HCLExpression(.relative(expression, steps), expression.position)
            }
            steps = []
        }
        while true {
            let saved = i
            skipTrivia()
            if peek() == UInt8(ascii: "."), peek(1) != UInt8(ascii: ".") {
                i += 1
                if peek() == UInt8(ascii: "*") {
                    i += 1
                    flush()
                    var rest: [HCLTraverser] = []
                    while peek() == UInt8(ascii: "."), peek(1).map(Self.isIdentifierStart) == true {
                        i += 1
                        rest.append(.attribute(identifier()!))
                    }
                    expression = HCLExpression(.splat(expression, rest), expression.position)
                    continue
                }
                if Self.isDigit(peek()) {
                    let start = i
                    while Self.isDigit(peek()) { i += 1 }
                    let number = Double(String(decoding: bytes[start..<i], as: UTF8.self)) ?? 0
                    steps.append(.index(HCLExpression(.literal(.number(number)), position(start))))
                    continue
                }
                guard let name = identifier() else { throw error("expected an attribute name after '.'") }
                steps.append(.attribute(name))
                continue
            }
            if peek() == UInt8(ascii: "[") {
                let open = i
                i += 1
                nesting += 1
                skipTrivia()
                if peek() == UInt8(ascii: "*") {
                    i += 1
                    try expect("]", "']' of the splat")
                    nesting -= 1
                    flush()
                    var rest: [HCLTraverser] = []
                    while true {
                        if peek() == UInt8(ascii: "."), peek(1).map(Self.isIdentifierStart) == true {
                            i += 1
                            rest.append(.attribute(identifier()!))
                        } else if peek() == UInt8(ascii: "[") {
                            i += 1
                            nesting += 1
                            let index = try parseExpression()
                            try expect("]", "']'")
                            nesting -= 1
                            rest.append(.index(index))
                        } else {
                            break
                        }
                    }
                    expression = HCLExpression(.splat(expression, rest), expression.position)
                    continue
                }
                _ = open
                let index = try parseExpression()
                try expect("]", "']' closing the index")
                nesting -= 1
                steps.append(.index(index))
                continue
            }
            i = saved
            break
        }
        flush()
        return expression
    }

    private mutating func parseTerm() throws(HCLSyntaxError) -> HCLExpression {
        skipTrivia()
        let start = here
        guard let b = peek() else { throw error("expected an expression, found the end of the file", fix: "complete the expression") }
        if Self.isDigit(b) { return HCLExpression(.literal(.number(try parseNumber())), start) }
        switch b {
        case UInt8(ascii: "\""):
            if jsonStrings { return HCLExpression(.literal(.string(try parseJSONString())), start) }
            return HCLExpression(.template(try parseQuotedTemplate()), start)
        case UInt8(ascii: "<") where peek(1) == UInt8(ascii: "<"):
            return HCLExpression(.template(try parseHeredoc()), start)
        case UInt8(ascii: "["):
            return try parseTuple(start)
        case UInt8(ascii: "{"):
            return try parseObject(start)
        case UInt8(ascii: "("):
            i += 1
            nesting += 1
            let inner = try parseExpression()
            try expect(")", "')'")
            nesting -= 1
            return HCLExpression(.parenthesized(inner), start)
        default:
            break
        }
        guard var name = identifier() else {
            throw error("unexpected character '\(String(decoding: [b], as: UTF8.self))' where an expression should be",
                        fix: "check for a missing quote, bracket or operand")
        }
        switch name {
        case "true": return HCLExpression(.literal(.bool(true)), start)
        case "false": return HCLExpression(.literal(.bool(false)), start)
        case "null": return HCLExpression(.literal(.null), start)
        default: break
        }
        while at("::") {
            i += 2
            guard let part = identifier() else { throw error("expected a name after '::'") }
            name += "::" + part
        }
        if peek() == UInt8(ascii: "(") {
            i += 1
            nesting += 1
            var arguments: [HCLExpression] = []
            var expandFinal = false
            skipTrivia()
            while peek() != UInt8(ascii: ")") {
                arguments.append(try parseExpression())
                skipTrivia()
                if at("...") {
                    i += 3
                    expandFinal = true
                    skipTrivia()
                    break
                }
                if peek() == UInt8(ascii: ",") {
                    i += 1
                    skipTrivia()
                } else {
                    break
                }
            }
            try expect(")", "')' closing the arguments of \(name)()")
            nesting -= 1
            return HCLExpression(.call(name, arguments, expandFinal: expandFinal), start)
        }
        return HCLExpression(.traversal(name, []), start)
    }

    private mutating func parseNumber() throws(HCLSyntaxError) -> Double {
        let start = i
        while Self.isDigit(peek()) { i += 1 }
        if peek() == UInt8(ascii: "."), Self.isDigit(peek(1)) {
            i += 1
            while Self.isDigit(peek()) { i += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            i += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { i += 1 }
            guard Self.isDigit(peek()) else { throw error("malformed number exponent") }
            while Self.isDigit(peek()) { i += 1 }
        }
        guard let value = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else { throw error("malformed number", at: start) }
        return value
    }

    private mutating func keyword(_ word: String) -> Bool {
        guard at(word) else { return false }
        if let next = peek(word.utf8.count), Self.isIdentifierPart(next) { return false }
        i += word.utf8.count
        return true
    }

    private mutating func parseTuple(_ start: HCLPosition) throws(HCLSyntaxError) -> HCLExpression {
        i += 1
        nesting += 1
        defer { nesting -= 1 }
        skipTrivia()
        if keyword("for") { return try parseFor(start, object: false) }
        var items: [HCLExpression] = []
        while true {
            skipTrivia()
            if peek() == UInt8(ascii: "]") { break }
            items.append(try parseExpression())
            skipTrivia()
            if peek() == UInt8(ascii: ",") { i += 1 } else { break }
        }
        try expect("]", "']' or ',' in the list")
        return HCLExpression(.tuple(items), start)
    }

    private mutating func parseObject(_ start: HCLPosition) throws(HCLSyntaxError) -> HCLExpression {
        i += 1
        nesting += 1
        defer { nesting -= 1 }
        skipTrivia()
        if keyword("for") { return try parseFor(start, object: true) }
        var items: [HCLObjectItem] = []
        while true {
            skipTrivia()
            if peek() == UInt8(ascii: "}") { break }
            let key = try parseExpression()
            skipTrivia()
            if (at("=") && !at("==") && !at("=>")) || at(":") {
                i += 1
            } else {
                throw error("expected '=' after the object key", fix: "write key = value")
            }
            let value = try parseExpression()
            items.append(HCLObjectItem(key: key, value: value))
            skipTrivia()
            if peek() == UInt8(ascii: ",") { i += 1 }
        }
        try expect("}", "'}' closing the object")
        return HCLExpression(.object(items), start)
    }

    private mutating func parseFor(_ start: HCLPosition, object: Bool) throws(HCLSyntaxError) -> HCLExpression {
        skipTrivia()
        guard let first = identifier() else { throw error("expected a variable name after 'for'") }
        skipTrivia()
        var keyName: String?
        var valueName = first
        if peek() == UInt8(ascii: ",") {
            i += 1
            skipTrivia()
            guard let second = identifier() else { throw error("expected a second variable name after ','") }
            keyName = first
            valueName = second
        }
        skipTrivia()
        guard keyword("in") else { throw error("expected 'in' in the for expression") }
        let collection = try parseExpression()
        try expect(":", "':' after the for expression's collection")
        var keyExpression: HCLExpression?
        var valueExpression = try parseExpression()
        skipTrivia()
        if object {
            guard at("=>") else { throw error("expected '=>' in the object for expression", fix: "write {for k, v in x : key => value}") }
            i += 2
            keyExpression = valueExpression
            valueExpression = try parseExpression()
        }
        skipTrivia()
        var grouping = false
        if at("...") {
            i += 3
            grouping = true
        }
        skipTrivia()
        var condition: HCLExpression?
        if keyword("if") { condition = try parseExpression() }
        try expect(object ? "}" : "]", object ? "'}' closing the for expression" : "']' closing the for expression")
        return HCLExpression(.forExpression(HCLForExpression(
            keyName: keyName, valueName: valueName, collection: collection, keyExpression: keyExpression,
            valueExpression: valueExpression, grouping: grouping, condition: condition)), start)
    }

    // MARK: - Templates

    private enum TemplateItem {
        case literal(String)
        case interpolation(HCLExpression, stripBefore: Bool, stripAfter: Bool)
        case directive(String, HCLExpression?, String?, String?, stripBefore: Bool, stripAfter: Bool, HCLPosition)
    }

    private mutating func parseJSONString() throws(HCLSyntaxError) -> String {
        let start = i
        i += 1
        var out = [UInt8]()
        while true {
            guard let b = peek() else { throw error("unterminated string", at: start) }
            i += 1
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                out += Array(try escape().utf8)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func escape() throws(HCLSyntaxError) -> String {
        guard let e = peek() else { throw error("unterminated escape") }
        i += 1
        switch e {
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "b"): return "\u{8}"
        case UInt8(ascii: "f"): return "\u{C}"
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = e == UInt8(ascii: "u") ? 4 : 8
            guard i + count <= bytes.count, let code = UInt32(String(decoding: bytes[i..<(i + count)], as: UTF8.self), radix: 16)
            else { throw error("malformed \\u escape") }
            i += count
            // A JSON surrogate pair.
            if (0xD800...0xDBFF).contains(code), at("\\u"), i + 6 <= bytes.count,
               let low = UInt32(String(decoding: bytes[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16), (0xDC00...0xDFFF).contains(low) {
                i += 6
                let combined = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                return Unicode.Scalar(combined).map { String($0) } ?? "\u{FFFD}"
            }
            return Unicode.Scalar(code).map { String($0) } ?? "\u{FFFD}"
        default:
            throw error("unknown escape '\\\(String(decoding: [e], as: UTF8.self))'", fix: "write \\\\ for a backslash")
        }
    }

    /// A quoted template, `"…"`, starting at the quote.
    private mutating func parseQuotedTemplate() throws(HCLSyntaxError) -> [HCLTemplatePart] {
        let start = i
        i += 1
        let items = try templateItems(quoted: true, end: bytes.count, start: start)
        return try buildTemplate(items)
    }

    private mutating func templateItems(quoted: Bool, end: Int, start: Int) throws(HCLSyntaxError) -> [TemplateItem] {
        var items: [TemplateItem] = []
        var literal = [UInt8]()
        func flushLiteral() {
            if !literal.isEmpty { items.append(.literal(String(decoding: literal, as: UTF8.self))) }
            literal = []
        }
        while true {
            guard i < end else {
                if quoted { throw error("unterminated string", fix: "add the closing quote", at: start) }
                break
            }
            let b = bytes[i]
            if quoted, b == UInt8(ascii: "\"") {
                i += 1
                break
            }
            if quoted, b == 0x0A { throw error("unterminated string (a quoted string cannot span lines)", fix: "close the quote or use a heredoc", at: start) }
            if quoted, b == UInt8(ascii: "\\") {
                i += 1
                literal += Array(try escape().utf8)
                continue
            }
            if (b == UInt8(ascii: "$") || b == UInt8(ascii: "%")), peek(1) == b, peek(2) == UInt8(ascii: "{") {
                literal += [b, UInt8(ascii: "{")]
                i += 3
                continue
            }
            if b == UInt8(ascii: "$"), peek(1) == UInt8(ascii: "{") {
                flushLiteral()
                i += 2
                var stripBefore = false
                if peek() == UInt8(ascii: "~") {
                    stripBefore = true
                    i += 1
                }
                nesting += 1
                let expression = try parseExpression()
                skipTrivia()
                var stripAfter = false
                if peek() == UInt8(ascii: "~") {
                    stripAfter = true
                    i += 1
                }
                try expect("}", "'}' closing the interpolation")
                nesting -= 1
                items.append(.interpolation(expression, stripBefore: stripBefore, stripAfter: stripAfter))
                continue
            }
            if b == UInt8(ascii: "%"), peek(1) == UInt8(ascii: "{") {
                flushLiteral()
                let directiveStart = here
                i += 2
                var stripBefore = false
                if peek() == UInt8(ascii: "~") {
                    stripBefore = true
                    i += 1
                }
                nesting += 1
                skipTrivia()
                guard let word = identifier() else { throw error("expected if, else, endif, for or endfor in the template directive") }
                var expression: HCLExpression?
                var keyName: String?, valueName: String?
                switch word {
                case "if": expression = try parseExpression()
                case "for":
                    skipTrivia()
                    guard let first = identifier() else { throw error("expected a variable name after 'for'") }
                    valueName = first
                    skipTrivia()
                    if peek() == UInt8(ascii: ",") {
                        i += 1
                        skipTrivia()
                        keyName = first
                        guard let second = identifier() else { throw error("expected a variable name after ','") }
                        valueName = second
                    }
                    skipTrivia()
                    guard keyword("in") else { throw error("expected 'in' in the template for directive") }
                    expression = try parseExpression()
                case "else", "endif", "endfor": break
                default: throw error("unknown template directive '\(word)'", fix: "use if, else, endif, for or endfor")
                }
                skipTrivia()
                var stripAfter = false
                if peek() == UInt8(ascii: "~") {
                    stripAfter = true
                    i += 1
                }
                try expect("}", "'}' closing the template directive")
                nesting -= 1
                items.append(.directive(word, expression, keyName, valueName, stripBefore: stripBefore, stripAfter: stripAfter, directiveStart))
                continue
            }
            literal.append(b)
            i += 1
        }
        flushLiteral()
        return applyStrip(items)
    }

    private func applyStrip(_ items: [TemplateItem]) -> [TemplateItem] {
        var result = items
        for index in result.indices {
            var before = false, after = false
            switch result[index] {
            case .interpolation(_, let b, let a): before = b; after = a
            case .directive(_, _, _, _, let b, let a, _): before = b; after = a
            case .literal: continue
            }
            if before, index > 0, case .literal(let text) = result[index - 1] {
                result[index - 1] = .literal(String(text.reversed().drop { $0.isWhitespace }.reversed()))
            }
            if after, index + 1 < result.count, case .literal(let text) = result[index + 1] {
                result[index + 1] = .literal(String(text.drop { $0.isWhitespace }))
            }
        }
        return result
    }

    private func buildTemplate(_ items: [TemplateItem]) throws(HCLSyntaxError) -> [HCLTemplatePart] {
        var index = 0
        let (parts, stop) = try buildParts(items, &index, until: [])
        if let stop { throw HCLSyntaxError(message: "'%{\(stop.0)}' without a matching opening directive", position: stop.1) }
        return parts
    }

    private func buildParts(_ items: [TemplateItem], _ index: inout Int, until: Set<String>) throws(HCLSyntaxError)
        -> ([HCLTemplatePart], (String, HCLPosition)?) {
        var parts: [HCLTemplatePart] = []
        while index < items.count {
            let item = items[index]
            index += 1
            switch item {
            case .literal(let text): if !text.isEmpty { parts.append(.literal(text)) }
            case .interpolation(let expression, _, _): parts.append(.interpolation(expression))
            case .directive(let word, let expression, let keyName, let valueName, _, _, let position):
                switch word {
                case "if":
                    let (yes, stop) = try buildParts(items, &index, until: ["else", "endif"])
                    var no: [HCLTemplatePart] = []
                    if stop?.0 == "else" {
                        let (elseParts, end) = try buildParts(items, &index, until: ["endif"])
                        guard end?.0 == "endif" else { throw HCLSyntaxError(message: "%{if} without %{endif}", position: position) }
                        no = elseParts
                    } else if stop?.0 != "endif" {
                        throw HCLSyntaxError(message: "%{if} without %{endif}", position: position)
                    }
                    parts.append(.conditional(expression!, yes, no))
                case "for":
                    let (body, stop) = try buildParts(items, &index, until: ["endfor"])
                    guard stop?.0 == "endfor" else { throw HCLSyntaxError(message: "%{for} without %{endfor}", position: position) }
                    parts.append(.loop(key: keyName, value: valueName!, collection: expression!, body: body))
                default:
                    if until.contains(word) { return (parts, (word, position)) }
                    throw HCLSyntaxError(message: "'%{\(word)}' without a matching opening directive", position: position)
                }
            }
        }
        return (parts, nil)
    }

    /// `<<EOT … EOT` or `<<-EOT … EOT` (indentation stripped).
    private mutating func parseHeredoc() throws(HCLSyntaxError) -> [HCLTemplatePart] {
        let start = i
        i += 2
        var indent = false
        if peek() == UInt8(ascii: "-") {
            indent = true
            i += 1
        }
        guard let marker = identifier() else { throw error("expected a heredoc marker after '<<'", fix: "write <<EOT … EOT") }
        while let b = peek(), b == 0x20 || b == 0x0D || b == 0x09 { i += 1 }
        guard peek() == 0x0A else { throw error("expected a new line after the heredoc marker") }
        i += 1
        let contentStart = i
        var lineStart = i
        var contentEnd: Int?
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let text = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if text == marker {
                contentEnd = lineStart
                i = lineEnd
                break
            }
            if lineEnd >= bytes.count { break }
            lineStart = lineEnd + 1
        }
        guard let end = contentEnd else {
            throw error("heredoc '\(marker)' is never closed", fix: "add a line containing only \(marker)", at: start)
        }
        var content = Array(bytes[contentStart..<end])
        if indent {
            let lines = content.split(separator: 0x0A, omittingEmptySubsequences: false)
            let widths = lines.filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }.map { $0.prefix { $0 == 0x20 || $0 == 0x09 }.count }
            let strip = widths.min() ?? 0
            content = Array(lines.map { Array($0.dropFirst(min(strip, $0.prefix { $0 == 0x20 || $0 == 0x09 }.count))) }
                .joined(separator: [0x0A]))
        }
        var sub = HCLParser(bytes: content, file: file, lineBase: position(contentStart).line - 1, jsonStrings: false)
        sub.depth = depth
        let items = try sub.templateItems(quoted: false, end: content.count, start: 0)
        return try buildTemplate(items)
    }
}
