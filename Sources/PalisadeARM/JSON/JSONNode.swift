import PalisadeModel

/// A parsed JSON value that remembers where it was written (1-based line and column).
public struct JSONNode: Sendable {
    /// The value kinds.
    public enum Kind: Sendable {
        /// `null`.
        case null
        /// `true` or `false`.
        case bool(Bool)
        /// A number without fraction or exponent that fits in 64 bits.
        case int(Int64)
        /// Any other number.
        case double(Double)
        /// A string.
        case string(String)
        /// An array.
        case array([JSONNode])
        /// An object, members in document order.
        case object([Member])
    }

    /// One object member with the location of its key.
    public struct Member: Sendable {
        /// The key as written.
        public var key: String
        /// The value.
        public var value: JSONNode
    }

    /// The value.
    public var kind: Kind
    /// 1-based line of the value's first character.
    public var line: Int
    /// 1-based column of the value's first character.
    public var column: Int

    /// The member named `key` (case-insensitive, as ARM property names are), if this is an object.
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = kind else { return nil }
        let folded = key.lowercased()
        return members.first { $0.key.lowercased() == folded }?.value
    }

    /// The members, if this is an object.
    public var members: [Member]? {
        if case .object(let m) = kind { return m }
        return nil
    }

    /// The elements, if this is an array.
    public var elements: [JSONNode]? {
        if case .array(let a) = kind { return a }
        return nil
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = kind { return s }
        return nil
    }

    /// The plain value without locations.
    public var value: ARMValue {
        switch kind {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .array(let a): .array(a.map(\.value))
        case .object(let m): .object(ARMObject(m.map { ($0.key, $0.value.value) }))
        }
    }

    /// Builds a node (at line 0) from a plain value, for synthesised template parts.
    public init(_ value: ARMValue, line: Int = 0, column: Int = 0) {
        self.line = line
        self.column = column
        switch value {
        case .null, .unknown, .secret: kind = .null
        case .bool(let b): kind = .bool(b)
        case .int(let i): kind = .int(i)
        case .double(let d): kind = .double(d)
        case .string(let s): kind = .string(s)
        case .array(let a): kind = .array(a.map { JSONNode($0, line: line, column: column) })
        case .object(let o): kind = .object(o.entries.map { Member(key: $0.key, value: JSONNode($0.value, line: line, column: column)) })
        }
    }

    init(kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }
}

/// A JSON syntax error with its position.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    /// `line:column: message`.
    public var description: String { "\(line):\(column): \(message)" }
}

/// A strict JSON parser (plus `//` and `/* */` comments, which ARM accepts) that records positions and
/// enforces depth and size limits so hostile input cannot exhaust the stack or memory.
public struct JSONParser {
    /// Deepest nesting accepted.
    public var maxDepth: Int
    /// Largest document accepted, in bytes.
    public var maxBytes: Int
    /// Accept `'single-quoted'` strings, as Azure's `json()` does (Newtonsoft's lenient reader).
    public var allowSingleQuotes = false

    private var bytes: [UInt8] = []
    private var pos = 0
    private var line = 1
    private var lineStart = 0

    /// Creates a parser with limits.
    public init(maxDepth: Int = 256, maxBytes: Int = 64 * 1024 * 1024) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    /// Parses a whole document.
    public mutating func parse(_ text: String) throws(JSONParseError) -> JSONNode {
        try parse(bytes: Array(text.utf8))
    }

    /// Parses a whole document from UTF-8 bytes (a leading byte-order mark is skipped).
    public mutating func parse(bytes input: [UInt8]) throws(JSONParseError) -> JSONNode {
        guard input.count <= maxBytes else {
            throw JSONParseError(message: "document is \(input.count) bytes, more than the limit of \(maxBytes)", line: 1, column: 1)
        }
        bytes = input
        pos = 0
        line = 1
        lineStart = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3; lineStart = 3 }
        try skipSpace()
        guard pos < bytes.count else { throw error("the document is empty; expected a JSON value") }
        let node = try parseValue(depth: 0)
        try skipSpace()
        if pos < bytes.count { throw error("unexpected \(describe(bytes[pos])) after the end of the JSON value") }
        return node
    }

    /// 1-based column in UTF-8 bytes (O(1), so minified documents stay linear).
    private var column: Int { pos - lineStart + 1 }

    private func error(_ message: String) -> JSONParseError {
        JSONParseError(message: message, line: line, column: column)
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }

    private mutating func skipSpace() throws(JSONParseError) {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0D: pos += 1
            case 0x0A:
                pos += 1
                line += 1
                lineStart = pos
            case 0x2F where pos + 1 < bytes.count && bytes[pos + 1] == 0x2F:
                while pos < bytes.count && bytes[pos] != 0x0A { pos += 1 }
            case 0x2F where pos + 1 < bytes.count && bytes[pos + 1] == 0x2A:
                let startLine = line
                pos += 2
                while true {
                    guard pos + 1 < bytes.count else {
                        throw JSONParseError(message: "comment opened on line \(startLine) is never closed with */", line: line, column: column)
                    }
                    if bytes[pos] == 0x2A && bytes[pos + 1] == 0x2F { pos += 2; break }
                    if bytes[pos] == 0x0A { line += 1; lineStart = pos + 1 }
                    pos += 1
                }
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONNode {
        guard depth < maxDepth else { throw error("nesting is deeper than the limit of \(maxDepth) levels") }
        let startLine = line
        let startColumn = column
        guard pos < bytes.count else { throw error("unexpected end of input; expected a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            pos += 1
            var members: [JSONNode.Member] = []
            try skipSpace()
            if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") {
                pos += 1
                return JSONNode(kind: .object(members), line: startLine, column: startColumn)
            }
            while true {
                try skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") || (allowSingleQuotes && bytes[pos] == UInt8(ascii: "'")) else {
                    if pos >= bytes.count { throw error("unexpected end of input inside the object opened at \(startLine):\(startColumn)") }
                    throw error("expected a quoted property name, found \(describe(bytes[pos]))")
                }
                let key = try parseString()
                try skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                    throw error("expected ':' after property name \"\(key)\"")
                }
                pos += 1
                try skipSpace()
                let value = try parseValue(depth: depth + 1)
                members.append(JSONNode.Member(key: key, value: value))
                try skipSpace()
                guard pos < bytes.count else { throw error("unexpected end of input inside the object opened at \(startLine):\(startColumn)") }
                if bytes[pos] == UInt8(ascii: ",") {
                    pos += 1
                    try skipSpace()
                    if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
                    continue
                }
                if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
                throw error("expected ',' or '}' in the object opened at \(startLine):\(startColumn), found \(describe(bytes[pos]))")
            }
            return JSONNode(kind: .object(members), line: startLine, column: startColumn)
        case UInt8(ascii: "["):
            pos += 1
            var elements: [JSONNode] = []
            try skipSpace()
            if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") {
                pos += 1
                return JSONNode(kind: .array(elements), line: startLine, column: startColumn)
            }
            while true {
                try skipSpace()
                elements.append(try parseValue(depth: depth + 1))
                try skipSpace()
                guard pos < bytes.count else { throw error("unexpected end of input inside the array opened at \(startLine):\(startColumn)") }
                if bytes[pos] == UInt8(ascii: ",") {
                    pos += 1
                    try skipSpace()
                    if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
                    continue
                }
                if bytes[pos] == UInt8(ascii: "]") { pos += 1; break }
                throw error("expected ',' or ']' in the array opened at \(startLine):\(startColumn), found \(describe(bytes[pos]))")
            }
            return JSONNode(kind: .array(elements), line: startLine, column: startColumn)
        case UInt8(ascii: "\""):
            return JSONNode(kind: .string(try parseString()), line: startLine, column: startColumn)
        case UInt8(ascii: "'") where allowSingleQuotes:
            return JSONNode(kind: .string(try parseString()), line: startLine, column: startColumn)
        case UInt8(ascii: "t"):
            try literal("true")
            return JSONNode(kind: .bool(true), line: startLine, column: startColumn)
        case UInt8(ascii: "f"):
            try literal("false")
            return JSONNode(kind: .bool(false), line: startLine, column: startColumn)
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONNode(kind: .null, line: startLine, column: startColumn)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(kind: try parseNumber(), line: startLine, column: startColumn)
        default:
            throw error("unexpected \(describe(bytes[pos])); expected a JSON value")
        }
    }

    private mutating func literal(_ word: String) throws(JSONParseError) {
        let w = Array(word.utf8)
        guard pos + w.count <= bytes.count, Array(bytes[pos..<(pos + w.count)]) == w else {
            throw error("invalid literal; expected '\(word)'")
        }
        pos += w.count
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONNode.Kind {
        let start = pos
        var isInteger = true
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) else {
            throw error("invalid number: expected a digit")
        }
        while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            guard pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) else {
                throw error("invalid number: expected a digit after '.'")
            }
            while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) else {
                throw error("invalid number: expected a digit in the exponent")
            }
            while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if isInteger, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else { throw error("invalid number '\(text)'") }
        return .double(d)
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        let quote = bytes[pos]
        pos += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard pos < bytes.count else { throw error("unterminated string; add the closing '\"'") }
            let b = bytes[pos]
            if b == quote { pos += 1; break }
            if b == 0x0A { throw error("line break inside a string; escape it as \\n") }
            if b < 0x20 { throw error("control character \(describe(b)) inside a string; escape it") }
            if b == UInt8(ascii: "\\") {
                pos += 1
                guard pos < bytes.count else { throw error("unterminated escape sequence") }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "'"): out.append(0x27)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        if pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                            pos += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("invalid UTF-16 surrogate pair") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            throw error("lone UTF-16 surrogate \\u\(String(scalar, radix: 16))")
                        }
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid Unicode escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
                }
                continue
            }
            out.append(b)
            pos += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard pos + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[pos..<(pos + 4)], as: UTF8.self), radix: 16) else {
            throw error("invalid \\u escape; expected 4 hex digits")
        }
        pos += 4
        return v
    }
}
