import PalisadeARM

/// Top-level resource properties whose type is the same for every resource type (nested paths such as
/// `properties.tags` vary by type and are left to Azure's schema check).
private let knownDerivedTypes: [String: String] = ["tags": "object", "properties": "object", "sku": "object", "identity": "object",
                                                   "zones": "array", "location": "string", "name": "string"]

extension FileCompiler {
    /// The template type node for a Bicep type plus its decorators:
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/user-defined-data-types and
    /// https://learn.microsoft.com/azure/azure-resource-manager/templates/definitions
    func typeNode(_ type: TypeExpr, decorators: [Decorator], at: BicepPosition? = nil) throws(BicepError) -> JSONNode {
        var node = try baseType(type, depth: 0)
        let secure = decorators.contains { $0.name == "secure" }
        if secure, let t = node["type"]?.stringValue {
            node = JB.setting(node, "type", JB.string(t == "object" ? "secureObject" : "securestring"))
        }
        var meta: [(String, JSONNode)] = node["metadata"]?.members?.map { ($0.key, $0.value) } ?? []
        for d in decorators {
            let arg = d.arguments.first
            switch d.name {
            case "description": if let arg { meta.append(("description", try value(arg, [:]))) }
            case "metadata":
                if let arg, case .object(let items, _) = arg {
                    for item in items { if case .property(let k, let v, _) = item { meta.append((k, try value(v, [:]))) } }
                }
            case "export": meta.append(("__bicep_export!", JB.bool(true)))
            case "allowed": if let arg { node = JB.setting(node, "allowedValues", try value(arg, [:])) }
            case "minValue", "maxValue", "minLength", "maxLength": if let arg { node = JB.setting(node, d.name, try value(arg, [:])) }
            case "sealed": node = JB.setting(node, "additionalProperties", JB.bool(false))
            case "discriminator": if let arg { node = JB.setting(node, "discriminator", JB.object([("propertyName", try value(arg, [:]))])) }
            default: break
            }
        }
        if !meta.isEmpty { node = JB.setting(node, "metadata", JB.object(meta)) }
        if let at { node.line = at.line; node.column = at.column }
        return node
    }

    private func baseType(_ type: TypeExpr, depth: Int) throws(BicepError) -> JSONNode {
        guard depth < 64 else { return JB.object([("type", JB.string("object"))]) }
        switch type {
        case .named(let raw, let p):
            let name = raw.hasPrefix("sys.") ? String(raw.dropFirst(4)) : raw
            switch name {
            case "string", "int", "bool", "object", "array": return JB.object([("type", JB.string(name))])
            case "any": return JB.object([("type", JB.string("object"))])
            default: break
            }
            if types[name] != nil || importedDefinitions.contains(where: { $0.0 == name }) {
                return JB.object([("$ref", JB.string("#/definitions/\(name)"))])
            }
            if let dot = name.firstIndex(of: "."), let source = namespaces[String(name[..<dot])] {
                let member = String(name[name.index(after: dot)...])
                try importType(from: source, name: member, alias: member, at: p)
                return JB.object([("$ref", JB.string("#/definitions/\(member)"))])
            }
            throw error("the type '\(name)' is not declared; use string, int, bool, object, array or a declared type", p)
        case .literal(let e):
            let v = try value(e, [:])
            let t: String = switch v.kind {
            case .int: "int"
            case .bool: "bool"
            case .object: "object"
            case .array: "array"
            default: "string"
            }
            return JB.object([("type", JB.string(t)), ("allowedValues", JB.array([v]))])
        case .array(let item):
            // A union of literals as items becomes allowed values on the array (as the compiler emits).
            if case .union = item, let merged = try? literalUnion(item, depth: depth + 1) {
                return JB.object([("type", JB.string("array")), ("allowedValues", merged.allowed)])
            }
            return JB.object([("type", JB.string("array")), ("items", try baseType(item, depth: depth + 1))])
        case .tuple(let items):
            var prefix: [JSONNode] = []
            for i in items { prefix.append(try baseType(i, depth: depth + 1)) }
            return JB.object([("type", JB.string("array")), ("prefixItems", JB.array(prefix)), ("items", JB.bool(false))])
        case .object(let props, let additional):
            var members: [(String, JSONNode)] = []
            for p in props {
                var n = try typeNode(p.type, decorators: p.decorators)
                if p.optional { n = JB.setting(n, "nullable", JB.bool(true)) }
                members.append((p.name, n))
            }
            var out: [(String, JSONNode)] = [("type", JB.string("object"))]
            if !members.isEmpty { out.append(("properties", JB.object(members))) }
            if let additional { out.append(("additionalProperties", try baseType(additional, depth: depth + 1))) }
            return JB.object(out)
        case .union(let members):
            // `'a' | 'b'?` and `'a' | null` make the whole union nullable.
            var nullable = false
            var core: [TypeExpr] = []
            for m in members {
                switch m {
                case .nullable(let inner): nullable = true; core.append(inner)
                case .named("null", _): nullable = true
                default: core.append(m)
                }
            }
            var node: JSONNode
            if core.count == 1 {
                node = try baseType(core[0], depth: depth + 1)
            } else if let merged = try? literalUnion(.union(core), depth: depth) {
                node = JB.object([("type", JB.string(merged.type)), ("allowedValues", merged.allowed)])
            } else {
                // A tagged union of object types: the members are checked by Azure; here only "an object".
                node = JB.object([("type", JB.string("object"))])
            }
            if nullable { node = JB.setting(node, "nullable", JB.bool(true)) }
            return node
        case .nullable(let inner):
            return JB.setting(try baseType(inner, depth: depth + 1), "nullable", JB.bool(true))
        case .resourceDerived(let typeText, let path):
            // Without the resource type schemas, the derived type is known for common paths; anything else is left
            // unchecked (Azure checks it against the resource provider's schema).
            if path.count == 1, let t = knownDerivedTypes[path[0]] {
                return JB.object([("type", JB.string(t)), ("metadata", JB.object([("__bicep_resource_derived_type!", JB.object([("source", JB.string(typeText))]))]))])
            }
            return JB.object([("type", JB.string("any")), ("metadata", JB.object([("__bicep_resource_derived_type!", JB.object([("source", JB.string(typeText))]))]))])
        }
    }

    private func literalUnion(_ type: TypeExpr, depth: Int) throws(BicepError) -> (type: String, allowed: JSONNode) {
        var values: [JSONNode] = []
        var kind: String?
        var steps = 0
        func add(_ t: TypeExpr) throws(BicepError) {
            // Type aliases that name each other in a cycle end here instead of recursing forever.
            steps += 1
            guard steps < 1_000 else { throw error("the type refers to itself", BicepPosition(line: 0, column: 0)) }
            switch t {
            case .literal(let e):
                let v = try value(e, [:])
                let k: String = switch v.kind { case .int: "int"; case .bool: "bool"; default: "string" }
                kind = kind ?? k
                values.append(v)
            case .union(let members): for m in members { try add(m) }
            case .named(let n, let p) where types[n] != nil:
                guard let t = types[n]?.type else { return }
                _ = p
                try add(t)
            default: throw error("not a literal", BicepPosition(line: 0, column: 0))
            }
        }
        try add(type)
        return (kind ?? "string", JB.array(values))
    }
}
