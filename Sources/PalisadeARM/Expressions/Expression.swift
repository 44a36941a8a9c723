/// A parsed ARM template expression (the text inside `[...]`).
public indirect enum Expression: Hashable, Sendable {
    /// A `'quoted'` string literal.
    case string(String)
    /// An integer literal.
    case int(Int64)
    /// A floating-point literal (rare; ARM templates mostly use integers).
    case double(Double)
    /// A function call `name(args...)`; `offset` is the 0-based column of the name inside the expression.
    case call(name: String, args: [Expression], offset: Int)
    /// Property access `base.name`.
    case property(Expression, String)
    /// Index access `base[index]`.
    case index(Expression, Expression)
}

/// A syntax error inside an expression, with the 1-based column inside the expression text.
public struct ExpressionSyntaxError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// 1-based column inside the expression string (counting the opening `[`).
    public var column: Int
    /// `column N: message`.
    public var description: String { "column \(column): \(message)" }
}

/// Tokenizes and parses ARM expressions.
public enum ExpressionParser {
    /// What a template string means: a literal (after `[[` unescaping) or an expression.
    public enum Parsed: Sendable {
        /// Plain text.
        case literal(String)
        /// An expression to evaluate.
        case expression(Expression)
    }

    /// Longest expression accepted (Azure documents 24,576 characters).
    public static let maxLength = 24_576

    /// Classifies a JSON string: `[expr]` is an expression, `[[...` is an escaped literal, anything else is literal.
    public static func classify(_ text: String) throws(ExpressionSyntaxError) -> Parsed {
        guard text.first == "[", text.last == "]", text.count >= 2 else { return .literal(text) }
        if text.hasPrefix("[[") { return .literal(String(text.dropFirst())) }
        guard text.utf8.count <= maxLength || text.count <= maxLength else {
            throw ExpressionSyntaxError(message: "expression is \(text.count) characters, more than Azure's limit of \(maxLength)", column: 1)
        }
        let inner = Array(text.unicodeScalars.dropFirst().dropLast())
        var parser = Parser(chars: inner)
        return .expression(try parser.parseWhole())
    }

    /// Parses an expression body (without the surrounding brackets).
    public static func parse(_ body: String) throws(ExpressionSyntaxError) -> Expression {
        var parser = Parser(chars: Array(body.unicodeScalars))
        return try parser.parseWhole()
    }

    private struct Parser {
        let chars: [Unicode.Scalar]
        var pos = 0
        var depth = 0

        func fail(_ message: String) -> ExpressionSyntaxError {
            ExpressionSyntaxError(message: message, column: pos + 2)
        }

        mutating func skipSpace() {
            while pos < chars.count, chars[pos] == " " || chars[pos] == "\t" || chars[pos] == "\n" || chars[pos] == "\r" { pos += 1 }
        }

        mutating func parseWhole() throws(ExpressionSyntaxError) -> Expression {
            skipSpace()
            let e = try parseExpr()
            skipSpace()
            if pos < chars.count { throw fail("unexpected '\(Character(chars[pos]))' after the end of the expression") }
            return e
        }

        mutating func parseExpr() throws(ExpressionSyntaxError) -> Expression {
            depth += 1
            defer { depth -= 1 }
            guard depth < 128 else { throw fail("expression is nested too deeply (limit 128)") }
            skipSpace()
            guard pos < chars.count else { throw fail("unexpected end of expression") }
            var base: Expression
            let c = chars[pos]
            if c == "'" {
                base = .string(try parseString())
            } else if c == "-" || ("0"..."9").contains(c) {
                base = try parseNumber()
            } else if isIdentStart(c) {
                let start = pos
                var name = ""
                while pos < chars.count, isIdentPart(chars[pos]) { name.unicodeScalars.append(chars[pos]); pos += 1 }
                // User-defined functions are called as `namespace.name(...)`.
                if pos < chars.count, chars[pos] == "." {
                    var look = pos + 1
                    var member = ""
                    while look < chars.count, isIdentPart(chars[look]) { member.unicodeScalars.append(chars[look]); look += 1 }
                    if !member.isEmpty, look < chars.count, chars[look] == "(" {
                        name += "." + member
                        pos = look
                    }
                }
                skipSpace()
                guard pos < chars.count, chars[pos] == "(" else {
                    let lower = name.lowercased()
                    if lower == "true" || lower == "false" || lower == "null" {
                        base = .call(name: lower, args: [], offset: start)
                        return try parsePostfix(base)
                    }
                    pos = start
                    throw fail("'\(name)' must be followed by '(' — function calls need parentheses, strings need single quotes")
                }
                pos += 1
                var args: [Expression] = []
                skipSpace()
                if pos < chars.count, chars[pos] == ")" {
                    pos += 1
                } else {
                    while true {
                        args.append(try parseExpr())
                        skipSpace()
                        guard pos < chars.count else { throw fail("missing ')' to close the call to '\(name)'") }
                        if chars[pos] == "," { pos += 1; continue }
                        if chars[pos] == ")" { pos += 1; break }
                        throw fail("expected ',' or ')' in the arguments of '\(name)', found '\(Character(chars[pos]))'")
                    }
                }
                base = .call(name: name, args: args, offset: start)
            } else {
                throw fail("unexpected '\(Character(c))'; expected a function call, a 'string' or a number")
            }
            return try parsePostfix(base)
        }

        mutating func parsePostfix(_ start: Expression) throws(ExpressionSyntaxError) -> Expression {
            var base = start
            while true {
                skipSpace()
                guard pos < chars.count else { return base }
                if chars[pos] == "." {
                    pos += 1
                    skipSpace()
                    var name = ""
                    while pos < chars.count, isIdentPart(chars[pos]) || chars[pos] == "$" { name.unicodeScalars.append(chars[pos]); pos += 1 }
                    guard !name.isEmpty else { throw fail("expected a property name after '.'") }
                    base = .property(base, name)
                } else if chars[pos] == "[" {
                    pos += 1
                    let index = try parseExpr()
                    skipSpace()
                    guard pos < chars.count, chars[pos] == "]" else { throw fail("missing ']' to close the index") }
                    pos += 1
                    base = .index(base, index)
                } else {
                    return base
                }
            }
        }

        mutating func parseString() throws(ExpressionSyntaxError) -> String {
            pos += 1
            var out = String.UnicodeScalarView()
            while true {
                guard pos < chars.count else { throw fail("unterminated string literal; add the closing quote (write '' for a quote inside)") }
                if chars[pos] == "'" {
                    if pos + 1 < chars.count, chars[pos + 1] == "'" {
                        out.append("'")
                        pos += 2
                        continue
                    }
                    pos += 1
                    return String(out)
                }
                out.append(chars[pos])
                pos += 1
            }
        }

        mutating func parseNumber() throws(ExpressionSyntaxError) -> Expression {
            let start = pos
            if chars[pos] == "-" { pos += 1 }
            while pos < chars.count, ("0"..."9").contains(chars[pos]) || chars[pos] == "." { pos += 1 }
            let text = String(String.UnicodeScalarView(chars[start..<pos]))
            if let i = Int64(text) { return .int(i) }
            if !text.contains("."), text.contains(where: \.isNumber) {
                pos = start
                throw fail("the integer \(text) is outside the 64-bit range \(Int64.min)…\(Int64.max)")
            }
            if let d = Double(text), d.isFinite { return .double(d) }
            pos = start
            throw fail("invalid number '\(text)'")
        }

        func isIdentStart(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == "$"
        }
        func isIdentPart(_ c: Unicode.Scalar) -> Bool {
            isIdentStart(c) || ("0"..."9").contains(c)
        }
    }
}
