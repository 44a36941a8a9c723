import Foundation

/// The kind of a value written literally, as far as it is known before evaluation.
private enum LiteralKind: String {
    case string, int, bool, null, array, object

    var described: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Bicep functions whose argument counts the compiler checks (min, max; nil = any number), from
/// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions. Only functions of the `sys`/`az`
/// namespaces called by their plain name are checked; a user-defined function of the same name wins.
private let functionArity: [String: (Int, Int?)] = [
    "array": (1, 1), "base64": (1, 1), "base64ToJson": (1, 1), "base64ToString": (1, 1), "bool": (1, 1),
    "cidrHost": (2, 2), "cidrSubnet": (3, 3), "concat": (1, nil), "contains": (2, 2), "dataUri": (1, 1),
    "dataUriToString": (1, 1), "dateTimeAdd": (2, 3), "dateTimeFromEpoch": (1, 1), "dateTimeToEpoch": (1, 1),
    "deployment": (0, 0), "empty": (1, 1), "endsWith": (2, 2), "environment": (0, 0), "filter": (2, 2), "first": (1, 1),
    "flatten": (1, 1), "guid": (1, nil), "indexOf": (2, 2), "int": (1, 1), "items": (1, 1), "join": (2, 2), "json": (1, 1),
    "last": (1, 1), "lastIndexOf": (2, 2), "length": (1, 1), "map": (2, 2), "newGuid": (0, 0), "objectKeys": (1, 1),
    "padLeft": (2, 3), "parseCidr": (1, 1), "range": (2, 2), "reduce": (3, 3), "replace": (3, 3), "skip": (2, 2),
    "sort": (2, 2), "split": (2, 2), "startsWith": (2, 2), "string": (1, 1), "substring": (2, 3), "take": (2, 2),
    "tenant": (0, 0), "toLower": (1, 1), "toObject": (2, 3), "toUpper": (1, 1), "trim": (1, 1), "uniqueString": (1, nil),
    "uri": (2, 2), "uriComponent": (1, 1), "uriComponentToString": (1, 1), "utcNow": (0, 1),
]

extension FileCompiler {
    /// Checks what the Bicep compiler checks before it emits anything: parameter defaults and output values written
    /// as literals against their declared types, sealed object types, and argument counts of built-in functions.
    /// Only literal values are judged (an expression's type is left to evaluation), so nothing the compiler accepts
    /// is rejected. https://learn.microsoft.com/azure/azure-resource-manager/bicep/data-types and
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/user-defined-data-types
    func checkTypes() throws(BicepError) {
        for name in parameterOrder {
            guard let p = parameters[name], let type = p.type, let value = p.defaultValue else { continue }
            try check(value, against: type, sealed: p.decorators.contains { $0.name == "sealed" },
                      what: "the default value of parameter '\(name)'")
        }
        for o in outputs {
            if case .forLoop = o.value { continue }
            try check(o.value, against: o.type, sealed: o.decorators.contains { $0.name == "sealed" }, what: "the value of output '\(o.name)'")
        }
    }

    /// Checks a module's literal parameter values against the types the module (a `.bicep` file) declares.
    func checkModuleArguments(_ m: ModuleSymbol, callee: FileCompiler) throws(BicepError) {
        guard case .object(let items, _)? = m.property("params") else { return }
        for item in items {
            guard case .property(let k, let v, _) = item else { continue }
            guard let name = callee.parameterOrder.first(where: { $0.lowercased() == k.lowercased() }),
                  let p = callee.parameters[name], let type = p.type else { continue }
            try callee.check(v, against: type, sealed: p.decorators.contains { $0.name == "sealed" },
                             what: "the value given for parameter '\(name)' of module '\(m.symbolicName)'")
        }
    }

    /// Checks the argument count of a call to a built-in function.
    func checkArity(_ name: String, _ count: Int, _ p: BicepPosition) throws(BicepError) {
        guard let (low, high) = functionArity[name] else { return }
        if count < low || (high.map { count > $0 } ?? false) {
            let expected = high == low ? "\(low)" : high.map { "\(low) to \($0)" } ?? "at least \(low)"
            throw error("\(name)() takes \(expected) argument\(expected == "1" ? "" : "s"), not \(count)", p)
        }
    }

    /// The kind of a literal expression, nil when it is computed.
    private func literalKind(_ e: Expr) -> LiteralKind? {
        switch e {
        case .string, .interpolated: .string
        case .integer: .int
        case .unary("-", .integer, _): .int
        case .bool: .bool
        case .null: .null
        case .array: .array
        case .object: .object
        default: nil
        }
    }

    /// Judges `value` against `type`; throws at the value when the compiler would reject it.
    func check(_ value: Expr, against type: TypeExpr, sealed: Bool, what: String, depth: Int = 0) throws(BicepError) {
        guard depth < 32, let kind = literalKind(value) else { return }
        func reject(_ expected: String) throws(BicepError) {
            throw error("\(what) is \(kind.described), but the declared type is \(expected); write a value of that type", value.position)
        }
        switch type {
        case .nullable(let inner):
            if kind == .null { return }
            try check(value, against: inner, sealed: sealed, what: what, depth: depth + 1)
        case .named(let raw, _):
            let name = raw.hasPrefix("sys.") ? String(raw.dropFirst(4)) : raw
            switch name {
            case "string", "int", "bool", "array", "object":
                if kind.rawValue != name { try reject(name) }
                if name == "array", case .array(let items, _) = value, items.contains(where: { if case .unary("...", _, _) = $0 { true } else { false } }) { return }
            case "any":
                return
            default:
                guard let alias = types[name] else { return }
                try check(value, against: alias.type, sealed: sealed || alias.decorators.contains { $0.name == "sealed" }, what: what, depth: depth + 1)
            }
        case .literal(let literal):
            guard let expected = literalKind(literal) else { return }
            if expected != kind { try reject("the literal \(describe(literal))") }
            if let a = scalar(literal), let b = scalar(value), a != b { try reject("the literal \(describe(literal))") }
        case .union(let members):
            if kind == .null, members.contains(where: {
                if case .nullable = $0 { return true }
                if case .named("null", _) = $0 { return true }
                return false
            }) { return }
            var allowed: [Expr] = []
            guard literals(of: type, into: &allowed, depth: 0), let v = scalar(value) else { return }
            if !allowed.contains(where: { scalar($0) == v && literalKind($0) == kind }) {
                try reject("one of \(allowed.map(describe).joined(separator: ", "))")
            }
        case .array(let item):
            guard kind == .array else { try reject("an array"); return }
            guard case .array(let items, _) = value else { return }
            for i in items { try check(i, against: item, sealed: false, what: "an item of \(what)", depth: depth + 1) }
        case .tuple:
            if kind != .array { try reject("an array") }
        case .object(let properties, let additional):
            guard kind == .object else { try reject("an object"); return }
            guard case .object(let items, _) = value else { return }
            for item in items {
                guard case .property(let key, let v, let at) = item else { continue }
                if let property = properties.first(where: { $0.name.lowercased() == key.lowercased() }) {
                    let inner = property.optional ? TypeExpr.nullable(property.type) : property.type
                    try check(v, against: inner, sealed: property.decorators.contains { $0.name == "sealed" },
                              what: "property '\(key)' of \(what)", depth: depth + 1)
                } else if let additional {
                    try check(v, against: additional, sealed: false, what: "property '\(key)' of \(what)", depth: depth + 1)
                } else if sealed {
                    throw error("property '\(key)' is not allowed in \(what): its type is sealed and declares only \(properties.map { "'\($0.name)'" }.joined(separator: ", "))", at)
                }
            }
        case .resourceDerived:
            return
        }
    }

    /// The literal members of a union (through type aliases); false when a member is not a literal.
    private func literals(of type: TypeExpr, into out: inout [Expr], depth: Int) -> Bool {
        guard depth < 32 else { return false }
        switch type {
        case .literal(let e): out.append(e); return true
        case .union(let members):
            for m in members where !literals(of: m, into: &out, depth: depth + 1) { return false }
            return true
        case .nullable(let inner): return literals(of: inner, into: &out, depth: depth + 1)
        case .named("null", _): return true
        case .named(let n, _):
            guard let alias = types[n] else { return false }
            return literals(of: alias.type, into: &out, depth: depth + 1)
        default: return false
        }
    }

    /// A scalar literal's value for comparison (strings compared exactly, as literal types are).
    private func scalar(_ e: Expr) -> String? {
        switch e {
        case .string(let s, _): "s:" + s
        case .integer(let i, _): "i:\(i)"
        case .unary("-", .integer(let i, _), _): "i:\(-i)"
        case .bool(let b, _): "b:\(b)"
        default: nil
        }
    }

    private func describe(_ e: Expr) -> String {
        switch e {
        case .string(let s, _): "'\(s)'"
        case .integer(let i, _): "\(i)"
        case .unary("-", .integer(let i, _), _): "-\(i)"
        case .bool(let b, _): "\(b)"
        default: "a literal"
        }
    }
}
