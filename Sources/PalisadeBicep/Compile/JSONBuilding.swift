import PalisadeARM

/// Helpers that build located `JSONNode`s (the template model the ARM evaluator reads) from Bicep positions.
enum JB {
    static func node(_ kind: JSONNode.Kind, _ at: BicepPosition?) -> JSONNode {
        var n = JSONNode(.null, line: at?.line ?? 0, column: at?.column ?? 0)
        n.kind = kind
        return n
    }

    static func member(_ key: String, _ value: JSONNode) -> JSONNode.Member {
        var m = JSONNode(.object(ARMObject([(key, .null)]))).members![0]
        m.value = value
        return m
    }

    static func object(_ members: [(String, JSONNode)], _ at: BicepPosition? = nil) -> JSONNode {
        node(.object(members.map { member($0.0, $0.1) }), at)
    }

    static func array(_ items: [JSONNode], _ at: BicepPosition? = nil) -> JSONNode { node(.array(items), at) }

    static func string(_ s: String, _ at: BicepPosition? = nil) -> JSONNode { node(.string(s), at) }

    /// A literal string as a template value (a leading `[` that would read as an expression is escaped as `[[`).
    static func literal(_ s: String, _ at: BicepPosition? = nil) -> JSONNode {
        node(.string(s.hasPrefix("[") && s.hasSuffix("]") ? "[" + s : s), at)
    }

    /// An expression as a template value: `[expr]`.
    static func expression(_ e: String, _ at: BicepPosition? = nil) -> JSONNode { node(.string("[\(e)]"), at) }

    static func int(_ i: Int64, _ at: BicepPosition? = nil) -> JSONNode { node(.int(i), at) }
    static func bool(_ b: Bool, _ at: BicepPosition? = nil) -> JSONNode { node(.bool(b), at) }
    static func null(_ at: BicepPosition? = nil) -> JSONNode { node(.null, at) }

    /// Adds or replaces a member of an object node.
    static func setting(_ n: JSONNode, _ key: String, _ value: JSONNode) -> JSONNode {
        guard var members = n.members else { return n }
        if let i = members.firstIndex(where: { $0.key.lowercased() == key.lowercased() }) {
            members[i].value = value
        } else {
            members.append(member(key, value))
        }
        var out = n
        out.kind = .object(members)
        return out
    }

    /// An ARM expression string literal: `'it''s'`.
    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    /// The ARM expression text that rebuilds a JSON node (for values used inside expressions).
    static func expressionText(_ n: JSONNode) -> String {
        switch n.kind {
        case .null: return "null()"
        case .bool(let b): return b ? "true()" : "false()"
        case .int(let i): return i < 0 ? "sub(0, \(i.magnitude))" : "\(i)"
        case .double(let d): return "json('\(d)')"
        case .string(let s):
            if s.hasPrefix("[["), s.hasSuffix("]") { return quote(String(s.dropFirst())) }
            if s.hasPrefix("["), s.hasSuffix("]") { return String(s.dropFirst().dropLast()) }
            return quote(s)
        case .array(let items): return "createArray(" + items.map(expressionText).joined(separator: ", ") + ")"
        case .object(let members):
            return "createObject(" + members.map { quote($0.key) + ", " + expressionText($0.value) }.joined(separator: ", ") + ")"
        }
    }
}
