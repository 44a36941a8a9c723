/// A position in a Bicep file (1-based line and column, columns counted in characters).
public struct BicepPosition: Sendable, Hashable {
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
}

/// A Bicep syntax or semantic error at a position.
public struct BicepError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public var message: String
    /// Where.
    public var position: BicepPosition

    /// `line:column: message`.
    public var description: String { "\(position.line):\(position.column): \(message)" }
}

/// One token of Bicep source.
struct Token: Sendable {
    /// Token kinds.
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case integer(Int64)
        /// A string without interpolation (also multi-line `'''` strings).
        case string(String)
        /// A string with `${…}` holes: literal segments and the tokens of each hole.
        case interpolated([String], [[Token]])
        case symbol(String)
        case newline
        case end
    }

    var kind: Kind
    var position: BicepPosition

    var symbol: String? { if case .symbol(let s) = kind { return s }; return nil }
    var identifier: String? { if case .identifier(let s) = kind { return s }; return nil }

    static func == (lhs: Token, rhs: Token) -> Bool { lhs.kind == rhs.kind }
}

extension Token.Kind {
    static func == (lhs: Token.Kind, rhs: Token.Kind) -> Bool {
        switch (lhs, rhs) {
        case (.identifier(let a), .identifier(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.symbol(let a), .symbol(let b)): a == b
        case (.newline, .newline), (.end, .end): true
        case (.interpolated(let a, _), .interpolated(let b, _)): a == b
        default: false
        }
    }
}

/// Splits Bicep source into tokens; the syntax follows https://learn.microsoft.com/azure/azure-resource-manager/bicep/file.
struct Lexer {
    private let chars: [Character]
    private var pos = 0
    private var line = 1
    private var lineStart = 0
    /// Deepest `${…}` nesting accepted inside strings.
    private let maxDepth: Int

    /// `lineBase` is added to every line: each file of a compilation gets its own block of line numbers, so positions
    /// in the compiled template still name their file after evaluation.
    init(_ text: String, maxDepth: Int = 64, lineBase: Int = 0) {
        line = lineBase + 1
        var c = Array(text)
        if c.first == "\u{FEFF}" { c.removeFirst() }
        chars = c
        self.maxDepth = maxDepth
    }

    private var position: BicepPosition { BicepPosition(line: line, column: pos - lineStart + 1) }

    private func error(_ message: String, _ at: BicepPosition? = nil) -> BicepError {
        BicepError(message: message, position: at ?? position)
    }

    /// All tokens up to and including `.end`.
    mutating func tokenize(depth: Int = 0, untilBrace: Bool = false) throws(BicepError) -> [Token] {
        var out: [Token] = []
        var braces = 0
        while true {
            try skipSpaceAndComments()
            let start = position
            guard pos < chars.count else {
                if untilBrace { throw error("the interpolation '${' is not closed with '}'") }
                out.append(Token(kind: .end, position: start))
                return out
            }
            let c = chars[pos]
            if c == "\n" || c == "\r" {
                if c == "\r", pos + 1 < chars.count, chars[pos + 1] == "\n" { pos += 1 }
                pos += 1
                newLine()
                if out.last?.kind != .newline { out.append(Token(kind: .newline, position: start)) }
                continue
            }
            if untilBrace {
                if c == "{" { braces += 1 }
                if c == "}" {
                    if braces == 0 { pos += 1; out.append(Token(kind: .end, position: start)); return out }
                    braces -= 1
                }
            }
            if c == "'" {
                out.append(try lexString(depth: depth))
                continue
            }
            if c.isLetter || c == "_" {
                var s = ""
                while pos < chars.count, chars[pos].isLetter || chars[pos].isNumber || chars[pos] == "_" { s.append(chars[pos]); pos += 1 }
                out.append(Token(kind: .identifier(s), position: start))
                continue
            }
            if c.isASCII && c.isNumber {
                var s = ""
                while pos < chars.count, chars[pos].isASCII, chars[pos].isNumber { s.append(chars[pos]); pos += 1 }
                if pos < chars.count, chars[pos] == "." , pos + 1 < chars.count, chars[pos + 1].isNumber {
                    throw error("Bicep has no decimal numbers; use json('\(s)…') or a string", start)
                }
                guard let v = Int64(s) else { throw error("the number \(s) does not fit in 64 bits", start) }
                out.append(Token(kind: .integer(v), position: start))
                continue
            }
            // Longest symbols first.
            let symbols = ["...", "=>", "==", "!=", "=~", "!~", "<=", ">=", "&&", "||", "??", ".?", "[?", "::",
                           "{", "}", "[", "]", "(", ")", ",", ":", "=", "@", ".", "?", "!", "<", ">", "+", "-", "*", "/", "%", "|"]
            var matched: String?
            for s in symbols {
                let sc = Array(s)
                if pos + sc.count <= chars.count, Array(chars[pos..<(pos + sc.count)]) == sc { matched = s; break }
            }
            guard let m = matched else { throw error("unexpected character '\(c)'") }
            pos += m.count
            out.append(Token(kind: .symbol(m), position: start))
        }
    }

    private mutating func newLine() {
        line += 1
        lineStart = pos
    }

    private mutating func skipSpaceAndComments() throws(BicepError) {
        while pos < chars.count {
            let c = chars[pos]
            if c == " " || c == "\t" { pos += 1; continue }
            // `#disable-next-line …`, `#disable-diagnostics …`, `#restore-diagnostics …` are linter pragmas.
            if c == "#", pos + 1 < chars.count, chars[pos + 1] == "d" || chars[pos + 1] == "r" {
                while pos < chars.count, chars[pos] != "\n", chars[pos] != "\r" { pos += 1 }
                continue
            }
            if c == "/", pos + 1 < chars.count, chars[pos + 1] == "/" {
                while pos < chars.count, chars[pos] != "\n", chars[pos] != "\r" { pos += 1 }
                continue
            }
            if c == "/", pos + 1 < chars.count, chars[pos + 1] == "*" {
                let start = position
                pos += 2
                while true {
                    guard pos + 1 < chars.count else { throw error("the comment opened here is never closed with */", start) }
                    if chars[pos] == "*" && chars[pos + 1] == "/" { pos += 2; break }
                    if chars[pos] == "\n" { pos += 1; newLine(); continue }
                    pos += 1
                }
                continue
            }
            return
        }
    }

    private mutating func lexString(depth: Int) throws(BicepError) -> Token {
        let start = position
        // Multi-line string: '''…''' with no escapes or interpolation.
        if pos + 2 < chars.count, chars[pos + 1] == "'", chars[pos + 2] == "'" {
            pos += 3
            if pos < chars.count, chars[pos] == "\r" { pos += 1 }
            if pos < chars.count, chars[pos] == "\n" { pos += 1; newLine() }
            var s = ""
            while true {
                guard pos < chars.count else { throw error("the multi-line string opened here is never closed with '''", start) }
                if chars[pos] == "'", pos + 2 < chars.count, chars[pos + 1] == "'", chars[pos + 2] == "'" {
                    pos += 3
                    // More quotes at the end belong to the content.
                    while pos < chars.count, chars[pos] == "'" { s.append("'"); pos += 1 }
                    return Token(kind: .string(s), position: start)
                }
                if chars[pos] == "\n" { s.append("\n"); pos += 1; newLine(); continue }
                s.append(chars[pos])
                pos += 1
            }
        }
        pos += 1
        var segments: [String] = []
        var holes: [[Token]] = []
        var current = ""
        while true {
            guard pos < chars.count, chars[pos] != "\n" else { throw error("the string opened here is not closed with '", start) }
            let c = chars[pos]
            if c == "'" { pos += 1; break }
            if c == "\\" {
                guard pos + 1 < chars.count else { throw error("unterminated escape sequence") }
                let e = chars[pos + 1]
                pos += 2
                switch e {
                case "\\": current.append("\\")
                case "'": current.append("'")
                case "n": current.append("\n")
                case "r": current.append("\r")
                case "t": current.append("\t")
                case "$": current.append("$")
                case "u":
                    guard pos < chars.count, chars[pos] == "{" else { throw error("write a Unicode escape as \\u{…}") }
                    pos += 1
                    var hex = ""
                    while pos < chars.count, chars[pos] != "}" , hex.count < 8 { hex.append(chars[pos]); pos += 1 }
                    guard pos < chars.count, chars[pos] == "}", let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                        throw error("invalid Unicode escape \\u{\(hex)}")
                    }
                    pos += 1
                    current.unicodeScalars.append(scalar)
                default: throw error("unknown escape \\\(e); Bicep accepts \\\\ \\' \\n \\r \\t \\$ and \\u{…}")
                }
                continue
            }
            if c == "$", pos + 1 < chars.count, chars[pos + 1] == "{" {
                guard depth < maxDepth else { throw error("string interpolation is nested too deeply") }
                pos += 2
                segments.append(current)
                current = ""
                var inner = self
                inner.pos = pos
                let tokens = try inner.tokenize(depth: depth + 1, untilBrace: true)
                pos = inner.pos
                line = inner.line
                lineStart = inner.lineStart
                holes.append(tokens.filter { $0.kind != .newline })
                continue
            }
            current.append(c)
            pos += 1
        }
        if holes.isEmpty { return Token(kind: .string(current), position: start) }
        segments.append(current)
        return Token(kind: .interpolated(segments, holes), position: start)
    }
}
