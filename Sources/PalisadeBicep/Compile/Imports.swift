import Foundation
import PalisadeARM

/// `import {…} from '…'` and `import * as ns from '…'`:
/// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-import
extension FileCompiler {
    func importSource(_ importPath: String, at: BicepPosition) throws(BicepError) -> ImportSource {
        switch session.resolve(importPath, from: self) {
        case .bicep(let path):
            do { return .bicep(try session.compiler(for: path)) } catch {
                if session.pendingFileError == nil { session.pendingFileError = error }
                throw self.error("the imported file '\(importPath)' has errors", at)
            }
        case .json(let path):
            guard let node = session.json(path) else { throw error("'\(importPath)' is not valid JSON", at) }
            return .json(node, path)
        case .notRead(let why):
            throw error("cannot import from '\(importPath)': \(why)", at)
        }
    }

    func importSymbols(names: [(String, String)], wildcard: String?, importPath: String, at: BicepPosition) throws(BicepError) {
        let source = try importSource(importPath, at: at)
        if let wildcard {
            namespaces[wildcard] = source
            return
        }
        for (name, alias) in names {
            switch source {
            case .bicep(let fc):
                if fc.types[name] != nil { try importType(from: source, name: name, alias: alias, at: at) }
                else if fc.variables[name] != nil { try importVariable(from: source, name: name, alias: alias, at: at) }
                else if fc.functions[name] != nil { try importFunction(from: source, name: name, alias: alias, at: at) }
                else { throw error("'\(importPath)' exports no type, variable or function named '\(name)'", at) }
            case .json(let node, _):
                if node["definitions"]?[name] != nil { try importType(from: source, name: name, alias: alias, at: at) }
                else if node["variables"]?[name] != nil { try importVariable(from: source, name: name, alias: alias, at: at) }
                else if functionMember(node, name) != nil { try importFunction(from: source, name: name, alias: alias, at: at) }
                else { throw error("'\(importPath)' exports no type, variable or function named '\(name)'", at) }
            }
        }
    }

    private func functionMember(_ node: JSONNode, _ name: String) -> JSONNode? {
        for ns in node["functions"]?.elements ?? [] { if let m = ns["members"]?[name] { return m } }
        return nil
    }

    /// Every `#/definitions/x` a node refers to.
    private func references(_ n: JSONNode, into out: inout [String]) {
        switch n.kind {
        case .object(let members):
            for m in members {
                if m.key == "$ref", let s = m.value.stringValue, let last = s.split(separator: "/").last { out.append(String(last)) }
                references(m.value, into: &out)
            }
        case .array(let items): for i in items { references(i, into: &out) }
        default: break
        }
    }

    /// Imports a type under `alias`; types it refers to come along. A referenced type whose name is already taken by
    /// a different type gets a prefixed name (`_1.ruleType`), as the compiler does, and the references are rewritten.
    /// Returns the name the type has in this template.
    @discardableResult
    func importType(from source: ImportSource, name: String, alias: String, at: BicepPosition, transitive: Bool = false) throws(BicepError) -> String {
        let origin = "\(source.path)#\(name)"
        var alias = alias
        if let existing = importedOrigins[alias] {
            if existing == origin { return alias }
            guard transitive else { return alias }
            var n = 1
            while importedOrigins["_\(n).\(name)"] != nil && importedOrigins["_\(n).\(name)"] != origin { n += 1 }
            alias = "_\(n).\(name)"
            if importedOrigins[alias] == origin { return alias }
        } else if types[alias] != nil {
            guard transitive, types[alias] == nil || source.path != path else { return alias }
            var n = 1
            while importedOrigins["_\(n).\(name)"] != nil && importedOrigins["_\(n).\(name)"] != origin { n += 1 }
            alias = "_\(n).\(name)"
            if importedOrigins[alias] == origin { return alias }
        }
        var node: JSONNode
        switch source {
        case .bicep(let fc):
            if let t = fc.types[name] {
                node = try fc.typeNode(t.type, decorators: t.decorators)
            } else if let imported = fc.importedDefinitions.first(where: { $0.0 == name })?.1 {
                node = imported
            } else {
                throw error("the imported file has no type '\(name)'", at)
            }
        case .json(let template, _):
            guard let d = template["definitions"]?[name] else { throw error("the imported template has no type '\(name)'", at) }
            node = d
        }
        importedOrigins[alias] = origin
        importedDefinitions.append((alias, node))
        let slot = importedDefinitions.count - 1
        importedNames[alias] = "type"
        var refs: [String] = []
        references(node, into: &refs)
        var renamed: [String: String] = [:]
        for r in refs where renamed[r] == nil {
            let used = try importType(from: source, name: r, alias: r, at: at, transitive: true)
            if used != r { renamed[r] = used }
        }
        if !renamed.isEmpty {
            node = rewriteReferences(node, renamed)
            importedDefinitions[slot] = (alias, node)
        }
        return alias
    }

    /// Rewrites `$ref`s to renamed definitions.
    func rewriteReferences(_ n: JSONNode, _ renamed: [String: String]) -> JSONNode {
        var out = n
        switch n.kind {
        case .object(let members):
            out.kind = .object(members.map { m in
                if m.key == "$ref", let s = m.value.stringValue, let last = s.split(separator: "/").last, let to = renamed[String(last)] {
                    return JB.member(m.key, JB.string("#/definitions/\(to)", BicepPosition(line: m.value.line, column: m.value.column)))
                }
                return JB.member(m.key, rewriteReferences(m.value, renamed))
            })
        case .array(let items): out.kind = .array(items.map { rewriteReferences($0, renamed) })
        default: break
        }
        return out
    }

    func importVariable(from source: ImportSource, name: String, alias: String, at: BicepPosition) throws(BicepError) {
        if importedVariables.contains(where: { $0.0 == alias }) || variables[alias] != nil { return }
        let node: JSONNode
        switch source {
        case .bicep(let fc):
            guard let v = fc.variables[name] else { throw error("the imported file has no variable '\(name)'", at) }
            node = try fc.value(v.value, [:])
        case .json(let template, _):
            guard let v = template["variables"]?[name] else { throw error("the imported template has no variable '\(name)'", at) }
            node = v
        }
        importedVariables.append((alias, node))
        importedNames[alias] = "variable"
        // Variables the imported one uses come along under their own names.
        let text = JB.expressionText(node)
        var rest = Substring(text)
        while let r = rest.range(of: "variables('") {
            let after = rest[r.upperBound...]
            guard let end = after.firstIndex(of: "'") else { break }
            let dep = String(after[..<end])
            rest = after[end...]
            if dep != name { try importVariable(from: source, name: dep, alias: dep, at: at) }
        }
    }

    func importFunction(from source: ImportSource, name: String, alias: String, at: BicepPosition) throws(BicepError) {
        if importedFunctions.contains(where: { $0.0 == alias }) || functions[alias] != nil { return }
        let node: JSONNode
        switch source {
        case .bicep(let fc):
            guard let f = fc.functions[name] else { throw error("the imported file has no function '\(name)'", at) }
            node = try fc.functionNode(f)
        case .json(let template, _):
            guard let f = functionMember(template, name) else { throw error("the imported template has no function '\(name)'", at) }
            node = f
        }
        importedFunctions.append((alias, node))
        importedNames[alias] = "function"
        var refs: [String] = []
        references(node, into: &refs)
        for r in refs { try importType(from: source, name: r, alias: r, at: at, transitive: true) }
    }

    /// `ns.member` for a wildcard import: a variable (functions and types are handled where they are used).
    func namespaceSymbol(_ source: ImportSource, _ name: String, _ p: BicepPosition) throws(BicepError) -> String {
        try importVariable(from: source, name: name, alias: name, at: p)
        return "variables(\(JB.quote(name)))"
    }
}
