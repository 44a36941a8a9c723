import PalisadeModel

extension TemplateScope {
    /// Most property paths recorded for one resource declaration.
    static let maxPropertySources = 4_096

    /// Where each property of a resource declaration is written, by ARM-form path (`sku.name`,
    /// `properties.securityRules[0].properties.access`): the position of the value the template gives it. Values
    /// computed by one expression (a whole object from a parameter) are recorded at that expression only.
    func propertySources(_ declaration: JSONNode, path jsonPath: String) -> [String: SourceLocation] {
        var out: [String: SourceLocation] = [:]
        func visit(_ node: JSONNode, _ path: String, _ depth: Int) {
            guard depth < 12, out.count < Self.maxPropertySources else { return }
            if let location = valueSource(node, "\(jsonPath).\(path)") { out[path] = location }
            switch node.kind {
            case .object(let members):
                for m in members where !m.key.hasPrefix("[") { visit(m.value, "\(path).\(m.key)", depth + 1) }
            case .array(let items):
                for (i, item) in items.enumerated() { visit(item, "\(path)[\(i)]", depth + 1) }
            default: break
            }
        }
        for m in declaration.members ?? [] {
            let key = m.key.lowercased()
            if ["resources", "copy", "condition", "type", "apiversion", "dependson", "existing", "comments"].contains(key) { continue }
            visit(m.value, m.key, 0)
        }
        return out
    }

    /// Where a value was written: for a plain `[parameters('name')]` of a nested deployment, the value its parent
    /// passed for that parameter (so a module's `sku: { name: skuName }` points at the caller's `skuName: 'Basic'`),
    /// else the value itself.
    func valueSource(_ node: JSONNode, _ jsonPath: String) -> SourceLocation? {
        if case .string(let text) = node.kind, text.hasPrefix("[parameters("), !parameterSources.isEmpty,
           case .expression(.call(let fn, let args, _))? = try? ExpressionParser.classify(text), fn.lowercased() == "parameters",
           args.count == 1, case .string(let name) = args[0], let supplied = parameterSources[name.lowercased()] {
            return supplied
        }
        guard node.line > 0 else { return nil }
        return SourceLocation(file: file, line: node.line, column: node.column > 0 ? node.column : nil, path: jsonPath)
    }
}
