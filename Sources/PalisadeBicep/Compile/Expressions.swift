import Foundation
import PalisadeARM
import Yams

/// Bicep operators and their ARM functions: https://learn.microsoft.com/azure/azure-resource-manager/bicep/operators
private let binaryFunctions: [String: String] = [
    "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "==": "equals", "<": "less", "<=": "lessOrEquals",
    ">": "greater", ">=": "greaterOrEquals", "&&": "and", "||": "or", "??": "coalesce",
]


extension FileCompiler {
    // MARK: Values (JSON positions)

    /// A value as a template node: literals stay JSON (with their position); anything computed is an `[expression]`.
    func value(_ e: Expr, _ env: Env) throws(BicepError) -> JSONNode {
        switch e {
        case .string(let s, let p): return JB.literal(s, p)
        case .integer(let i, let p): return JB.int(i, p)
        case .bool(let b, let p): return JB.bool(b, p)
        case .null(let p): return JB.null(p)
        case .array(let items, let p) where !items.contains(where: isSpread):
            var out: [JSONNode] = []
            for item in items { out.append(try value(item, env)) }
            return JB.array(out, p)
        case .object(let items, let p) where !items.contains(where: {
            switch $0 { case .spread, .computed: return true; default: return false }
        }):
            var members: [(String, JSONNode)] = []
            for item in items {
                guard case .property(let k, let v, _) = item else { continue }
                members.append((k, try value(v, env)))
            }
            return JB.object(members, p)
        case .call(nil, let name, let args, let p) where name == "loadJsonContent":
            return try loadJSON(args, env, p)
        case .call(nil, let name, let args, let p) where name == "loadYamlContent":
            return try loadYAML(args, env, p)
        case .call(nil, let name, let args, let p) where name == "loadDirectoryFileInfo":
            return try loadDirectoryFileInfo(args, env, p)
        default:
            return JB.expression(try expr(e, env), e.position)
        }
    }

    private func isSpread(_ e: Expr) -> Bool {
        if case .unary("...", _, _) = e { return true }
        return false
    }

    // MARK: Expressions (ARM text)

    /// The ARM expression text for a Bicep expression.
    func expr(_ e: Expr, _ env: Env) throws(BicepError) -> String {
        switch e {
        case .string(let s, _): return JB.quote(s)
        case .interpolated(let segments, let holes, _):
            var format = ""
            for (i, seg) in segments.enumerated() {
                format += seg.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
                if i < holes.count { format += "{\(i)}" }
            }
            var args: [String] = []
            for h in holes { args.append(try expr(h, env)) }
            return "format(\(JB.quote(format)), \(args.joined(separator: ", ")))"
        case .integer(let i, _): return i < 0 ? "sub(0, \(i.magnitude))" : "\(i)"
        case .bool(let b, _): return b ? "true()" : "false()"
        case .null: return "null()"
        case .array(let items, _):
            if items.contains(where: isSpread) {
                var parts: [String] = []
                for item in items {
                    if case .unary("...", let inner, _) = item { parts.append(try expr(inner, env)) } else { parts.append("createArray(\(try expr(item, env)))") }
                }
                return "flatten(createArray(\(parts.joined(separator: ", "))))"
            }
            var parts: [String] = []
            for item in items { parts.append(try expr(item, env)) }
            return "createArray(\(parts.joined(separator: ", ")))"
        case .object(let items, _):
            var groups: [String] = []
            var pending: [String] = []
            for item in items {
                switch item {
                case .property(let k, let v, _): pending.append("\(JB.quote(k)), \(try expr(v, env))")
                case .computed(let k, let v, _): pending.append("\(try expr(k, env)), \(try expr(v, env))")
                case .spread(let s, _):
                    if !pending.isEmpty { groups.append("createObject(\(pending.joined(separator: ", ")))"); pending = [] }
                    groups.append(try expr(s, env))
                case .resource(let st):
                    if case .resource(_, _, _, _, _, let p) = st { throw error("a nested resource can only be declared in a resource body", p) }
                }
            }
            let hasSpread = items.contains { if case .spread = $0 { return true }; return false }
            if !hasSpread { return "createObject(\(pending.joined(separator: ", ")))" }
            if !pending.isEmpty { groups.append("createObject(\(pending.joined(separator: ", ")))") }
            return "shallowMerge(createArray(\(groups.joined(separator: ", "))))"
        case .identifier(let name, let p):
            return try identifier(name, env, p)
        case .property(let base, let name, let safe, let p):
            if let ref = symbolReference(base, env) { return try symbolProperty(ref, name, safe: safe, env, p) }
            if case .property(let inner, "outputs", _, _) = base, let ref = symbolReference(inner, env), let m = ref.module {
                let outputs = "\(moduleReference(m, ref.index, env)).outputs"
                return safe ? "tryGet(tryGet(\(outputs), \(JB.quote(name))), 'value')" : "\(outputs)\(access(name)).value"
            }
            if case .identifier(let ns, _) = base, env[ns] == nil, let source = namespaces[ns] {
                return try namespaceSymbol(source, name, p)
            }
            let b = try expr(base, env)
            return safe || shortCircuits(base) ? "tryGet(\(b), \(JB.quote(name)))" : "\(b)\(access(name))"
        case .index(let base, let index, let safe, _):
            let b = try expr(base, env)
            let i = try expr(index, env)
            return safe || shortCircuits(base) ? "tryGet(\(b), \(i))" : "\(b)[\(i)]"
        case .child(_, _, let p):
            if let r = resourceSymbol(e) { return "reference(\(JB.quote(r.symbolicName)), \(JB.quote(r.apiVersion)), 'full')" }
            throw error("'::' must name a nested resource", p)
        case .call(let base, let name, let args, let p):
            return try call(base, name, args, env, p)
        case .unary(let op, let operand, let p):
            switch op {
            case "!": return "not(\(try expr(operand, env)))"
            case "-": return "sub(0, \(try expr(operand, env)))"
            default: throw error("the spread operator '...' can only be used in an object or array literal", p)
            }
        case .binary(let op, let l, let r, _):
            let a = try expr(l, env), b = try expr(r, env)
            switch op {
            case "!=": return "not(equals(\(a), \(b)))"
            case "=~": return "equals(toLower(\(a)), toLower(\(b)))"
            case "!~": return "not(equals(toLower(\(a)), toLower(\(b))))"
            default: return "\(binaryFunctions[op] ?? op)(\(a), \(b))"
            }
        case .ternary(let c, let a, let b, _):
            return "if(\(try expr(c, env)), \(try expr(a, env)), \(try expr(b, env)))"
        case .nonNull(let inner, _):
            if let ref = symbolReference(inner, env), let r = ref.resource {
                return "reference(\(JB.quote(r.symbolicName)), \(JB.quote(r.apiVersion)), 'full')"
            }
            return try expr(inner, env)
        case .lambda(let params, let body, _):
            var inner = env
            for p in params { inner[p] = "lambdaVariables(\(JB.quote(p)))" }
            return "lambda(\(params.map(JB.quote).joined(separator: ", ")), \(try expr(body, inner)))"
        case .forLoop(let loop):
            return try loopExpression(loop, env)
        case .conditional(_, _, let p):
            throw error("'if (…)' can only start a resource or module body", p)
        }
    }

    /// Whether an access chain already has a safe step (`.?` or `[?]`): the rest of the chain then yields null
    /// instead of failing, as https://learn.microsoft.com/azure/azure-resource-manager/bicep/operator-safe-dereference
    /// describes.
    func shortCircuits(_ e: Expr) -> Bool {
        switch e {
        case .property(let b, _, let safe, _): return safe || shortCircuits(b)
        case .index(let b, _, let safe, _): return safe || shortCircuits(b)
        case .nonNull(let b, _): return shortCircuits(b)
        default: return false
        }
    }

    /// `.name` or `['odd name']`.
    func access(_ name: String) -> String {
        let ok = name.first.map { $0.isLetter || $0 == "_" } == true && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        return ok ? ".\(name)" : "[\(JB.quote(name))]"
    }

    /// A `[for …]` expression as map/filter over the indexes of its source (the value the compiler's copy loop yields).
    func loopExpression(_ loop: ForLoop, _ env: Env) throws(BicepError) -> String {
        let source = try expr(loop.source, env)
        let indexVar = "__index\(env.count)"
        let index = "lambdaVariables(\(JB.quote(indexVar)))"
        let inner = loopEnv(loop, source: source, index: index, env)
        let indexes = "range(0, length(\(source)))"
        let body = try expr(loop.body, inner)
        if let condition = loop.condition {
            return "map(filter(\(indexes), lambda(\(JB.quote(indexVar)), \(try expr(condition, inner)))), lambda(\(JB.quote(indexVar)), \(body)))"
        }
        return "map(\(indexes), lambda(\(JB.quote(indexVar)), \(body)))"
    }

    /// Binds a loop's item and index names.
    func loopEnv(_ loop: ForLoop, source: String, index: String, _ env: Env) -> Env {
        var inner = env
        if let item = loop.item { inner[item] = "\(source)[\(index)]" }
        if let i = loop.index { inner[i] = index }
        inner["__index\(env.count)"] = index
        return inner
    }

    func identifier(_ name: String, _ env: Env, _ p: BicepPosition) throws(BicepError) -> String {
        if let local = env[name] { return local }
        if parameters[name] != nil { return "parameters(\(JB.quote(name)))" }
        if variables[name] != nil { return "variables(\(JB.quote(name)))" }
        if importedNames[name] == "variable" { return "variables(\(JB.quote(name)))" }
        if let r = resources[name] { return "reference(\(JB.quote(r.symbolicName)), \(JB.quote(r.apiVersion)), 'full')" }
        if let m = modules[name] { return moduleReference(m, nil, env) }
        throw error("'\(name)' is not declared; declare it as a parameter, variable, resource or module, or check its spelling", p)
    }

    // MARK: Resource and module references

    /// `reference('mod')` (or with the instance for a looped module), as the compiler emits it.
    func moduleReference(_ m: ModuleSymbol, _ index: Expr?, _ env: Env) -> String {
        if let index, let i = try? expr(index, env) {
            return "reference(format('\(m.symbolicName)[{0}]', \(i)))"
        }
        return "reference(\(JB.quote(m.symbolicName)))"
    }

    /// The resource's own name expression (last segment for nested/`parent:` children), for one instance.
    func ownName(_ r: ResourceSymbol, index: String?, _ env: Env = [:]) throws(BicepError) -> String {
        guard let n = r.property("name") else { throw error("the resource '\(r.symbolicName)' has no name", r.position) }
        return try expr(n, instanceEnv(r, index: index, env))
    }

    func instanceEnv(_ r: ResourceSymbol, index: String?, _ env: Env) throws(BicepError) -> Env {
        guard let loop = r.loop, let index else { return env }
        return loopEnv(loop, source: try expr(loop.source, [:]), index: index, env)
    }

    /// The full `parent/child` name.
    func fullName(_ r: ResourceSymbol, index: String?, _ env: Env = [:]) throws(BicepError) -> String {
        let own = try ownName(r, index: index, env)
        guard let parent = r.parent else { return own }
        let parentIndex = try r.parentIndex.map { (e: Expr) throws(BicepError) -> String in try expr(e, instanceEnv(r, index: index, env)) }
        return "format('{0}/{1}', \(try fullName(parent, index: parentIndex, env)), \(own))"
    }

    /// The name segments of the resource ID (one per type segment after the namespace).
    func nameSegments(_ r: ResourceSymbol, index: String?, _ env: Env = [:]) throws(BicepError) -> [String] {
        let own = try ownName(r, index: index, env)
        if let parent = r.parent {
            let parentIndex = try r.parentIndex.map { (e: Expr) throws(BicepError) -> String in try expr(e, instanceEnv(r, index: index, env)) }
            return try nameSegments(parent, index: parentIndex, env) + [own]
        }
        let count = r.type.split(separator: "/").count - 1
        if count <= 1 { return [own] }
        return (0..<count).map { "split(\(own), '/')[\($0)]" }
    }

    /// The resource ID expression, as the compiler emits it for `res.id`.
    func resourceIDExpression(_ r: ResourceSymbol, index: String?, _ env: Env = [:]) throws(BicepError) -> String {
        let segments = try nameSegments(r, index: index, env)
        let args = ([JB.quote(r.type)] + segments).joined(separator: ", ")
        if let scope = effectiveScope(r) {
            let scopeEnv = try instanceEnv(r, index: index, env)
            if let ref = symbolReference(scope, scopeEnv), let target = ref.resource {
                let targetIndex = try ref.index.map { (e: Expr) throws(BicepError) -> String in try expr(e, scopeEnv) }
                return "extensionResourceId(\(try resourceIDExpression(target, index: targetIndex)), \(args))"
            }
            if case .call(_, let fn, let fargs, _) = scope {
                switch fn {
                case "resourceGroup":
                    var parts: [String] = []
                    for a in fargs { parts.append(try expr(a, scopeEnv)) }
                    if parts.count == 1 { parts.insert("subscription().subscriptionId", at: 0) }
                    if parts.isEmpty { return "resourceId(\(args))" }
                    return "resourceId(\(parts.joined(separator: ", ")), \(args))"
                case "subscription":
                    var parts: [String] = []
                    for a in fargs { parts.append(try expr(a, scopeEnv)) }
                    return "subscriptionResourceId(\((parts + [args]).joined(separator: ", ")))"
                case "tenant": return "tenantResourceId(\(args))"
                default: break
                }
            }
            return "extensionResourceId(\(try expr(scope, scopeEnv)), \(args))"
        }
        switch targetScope.lowercased() {
        case "subscription": return "subscriptionResourceId(\(args))"
        case "tenant", "managementgroup": return "tenantResourceId(\(args))"
        default: return "resourceId(\(args))"
        }
    }

    /// `res.id`, `res.name`, `res.properties`, `mod.outputs`, … as the compiler translates them.
    func symbolProperty(_ ref: (resource: ResourceSymbol?, module: ModuleSymbol?, index: Expr?), _ name: String, safe: Bool,
                        _ env: Env, _ p: BicepPosition) throws(BicepError) -> String {
        let index = try ref.index.map { (e: Expr) throws(BicepError) -> String in try expr(e, env) }
        if let m = ref.module {
            switch name {
            case "name":
                guard let n = m.property("name") else { return JB.quote(m.symbolicName) }
                guard let loop = m.loop, let index else { return try expr(n, env) }
                return try expr(n, loopEnv(loop, source: try expr(loop.source, [:]), index: index, env))
            case "outputs": return "\(moduleReference(m, ref.index, env)).outputs"
            default: throw error("a module has only 'name' and 'outputs'; '\(name)' is not one of them", p)
            }
        }
        guard let r = ref.resource else { throw error("not a resource", p) }
        switch name {
        case "id": return try resourceIDExpression(r, index: index)
        case "name": return try ownName(r, index: index)
        case "type": return JB.quote(r.type)
        case "apiVersion": return JB.quote(r.apiVersion)
        case "properties":
            if let index { return "reference(format('\(r.symbolicName)[{0}]', \(index)))" }
            return "reference(\(JB.quote(r.symbolicName)))"
        default:
            let target = index.map { "format('\(r.symbolicName)[{0}]', \($0))" } ?? JB.quote(r.symbolicName)
            let full = "reference(\(target), \(JB.quote(r.apiVersion)), 'full')"
            return safe ? "tryGet(\(full), \(JB.quote(name)))" : "\(full)\(access(name))"
        }
    }

    // MARK: Function calls

    func call(_ base: Expr?, _ name: String, _ args: [Expr], _ env: Env, _ p: BicepPosition) throws(BicepError) -> String {
        if let base {
            if case .identifier(let ns, _) = base, env[ns] == nil, ns == "sys" || ns == "az" {
                return try call(nil, name, args, env, p)
            }
            if case .identifier(let ns, _) = base, env[ns] == nil, let source = namespaces[ns] {
                try importFunction(from: source, name: name, alias: name, at: p)
                var a: [String] = []
                for arg in args { a.append(try expr(arg, env)) }
                return "__bicep.\(name)(\(a.joined(separator: ", ")))"
            }
            if let ref = symbolReference(base, env), let r = ref.resource {
                let index = try ref.index.map { (e: Expr) throws(BicepError) -> String in try expr(e, env) }
                if name.hasPrefix("list") {
                    var a = [try resourceIDExpression(r, index: index), JB.quote(r.apiVersion)]
                    for arg in args { a.append(try expr(arg, env)) }
                    return "\(name)(\(a.joined(separator: ", ")))"
                }
                if name == "getSecret" {
                    throw error("getSecret() can only be used as a module parameter value or in a .bicepparam file", p)
                }
                throw error("resources have no function '\(name)'", p)
            }
            throw error("'\(name)' is not a function of this value", p)
        }
        var a: [String] = []
        switch name {
        case "any": guard args.count == 1 else { throw error("any() takes one argument", p) }
            return try expr(args[0], env)
        case "loadTextContent": return JB.quote(try loadText(args, env, p))
        case "loadFileAsBase64": return JB.quote(try loadBase64(args, env, p))
        case "loadJsonContent": return JB.expressionText(try loadJSON(args, env, p))
        case "loadYamlContent": return JB.expressionText(try loadYAML(args, env, p))
        case "loadDirectoryFileInfo": return JB.expressionText(try loadDirectoryFileInfo(args, env, p))
        case "nameof":
            guard args.count == 1 else { throw error("nameof() takes one argument", p) }
            switch args[0] {
            case .identifier(let n, _): return JB.quote(n)
            case .property(_, let n, _, _): return JB.quote(n)
            default: throw error("nameof() needs a symbol or property name", p)
            }
        default: break
        }
        for arg in args { a.append(try expr(arg, env)) }
        if functions[name] != nil || importedNames[name] == "function" {
            return "__bicep.\(name)(\(a.joined(separator: ", ")))"
        }
        if env[name] != nil || parameters[name] != nil || variables[name] != nil {
            throw error("'\(name)' is not a function", p)
        }
        try checkArity(name, args.count, p)
        return "\(name)(\(a.joined(separator: ", ")))"
    }

    // MARK: load*Content

    private func literalPath(_ args: [Expr], _ fn: String, _ p: BicepPosition) throws(BicepError) -> String {
        guard let first = args.first, case .string(let rel, _) = first else {
            throw error("\(fn)() needs the file path as a string literal", p)
        }
        return rel.hasPrefix("/") ? rel : (directory as NSString).appendingPathComponent(rel)
    }

    func loadText(_ args: [Expr], _ env: Env, _ p: BicepPosition) throws(BicepError) -> String {
        let file = try literalPath(args, "loadTextContent", p)
        guard let data = FileManager.default.contents(atPath: file) else { throw error("cannot read '\(file)' for loadTextContent()", p) }
        return String(decoding: data, as: UTF8.self)
    }

    func loadBase64(_ args: [Expr], _ env: Env, _ p: BicepPosition) throws(BicepError) -> String {
        let file = try literalPath(args, "loadFileAsBase64", p)
        guard let data = FileManager.default.contents(atPath: file) else { throw error("cannot read '\(file)' for loadFileAsBase64()", p) }
        return data.base64EncodedString()
    }

    /// `loadJsonContent(path, [jsonPath])`: the file's JSON (a `$.a.b` path selects part of it).
    func loadJSON(_ args: [Expr], _ env: Env, _ p: BicepPosition) throws(BicepError) -> JSONNode {
        let file = try literalPath(args, "loadJsonContent", p)
        guard let data = FileManager.default.contents(atPath: file) else { throw error("cannot read '\(file)' for loadJsonContent()", p) }
        var parser = JSONParser()
        var node: JSONNode
        do { node = try parser.parse(bytes: [UInt8](data)) } catch {
            throw self.error("'\(file)' is not valid JSON (\(error.description))", p)
        }
        node = try select(node, args, file, p)
        // Strings that look like expressions stay literal.
        return escapeLiterals(node)
    }

    /// The part of a loaded document a `$.a.b` path (the optional second argument) selects.
    private func select(_ loaded: JSONNode, _ args: [Expr], _ file: String, _ p: BicepPosition) throws(BicepError) -> JSONNode {
        var node = loaded
        if args.count > 1, case .string(let path, _) = args[1] {
            for key in path.split(separator: ".").dropFirst() where !key.isEmpty {
                guard let next = node[String(key)] else { throw error("'\(path)' does not select anything in '\(file)'", p) }
                node = next
            }
        }
        return node
    }

    /// `loadYamlContent(path, [pathFilter])`: the YAML file as an object, loaded at compile time
    /// (https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-files#loadyamlcontent).
    func loadYAML(_ args: [Expr], _ env: Env, _ p: BicepPosition) throws(BicepError) -> JSONNode {
        let file = try literalPath(args, "loadYamlContent", p)
        guard let data = FileManager.default.contents(atPath: file) else { throw error("cannot read '\(file)' for loadYamlContent()", p) }
        guard data.count <= 1_048_576 else { throw error("'\(file)' is larger than the 1,048,576 characters loadYamlContent() accepts", p) }
        let root: Node?
        do { root = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw self.error("'\(file)' is not valid YAML (\(error))", p)
        }
        var budget = 100_000
        let node = try yamlNode(root, depth: 0, budget: &budget, file: file, p)
        return escapeLiterals(try select(node, args, file, p))
    }

    private func yamlNode(_ n: Node?, depth: Int, budget: inout Int, file: String, _ p: BicepPosition) throws(BicepError) -> JSONNode {
        budget -= 1
        guard depth < 64, budget > 0 else { throw error("'\(file)' is nested too deeply or has too many values (aliases expand to more than 100,000)", p) }
        guard let n else { return JB.null() }
        switch n {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if n.null != nil { return JB.null() }
                if let b = n.bool { return JB.bool(b) }
                if let i = n.int { return JB.int(Int64(i)) }
                if let d = n.float { return JB.node(.double(d), nil) }
            }
            return JB.string(scalar.string)
        case .sequence(let seq):
            var items: [JSONNode] = []
            for item in seq { items.append(try yamlNode(item, depth: depth + 1, budget: &budget, file: file, p)) }
            return JB.array(items)
        case .mapping(let map):
            var members: [(String, JSONNode)] = []
            for (k, v) in map {
                guard case .scalar(let key) = k else { throw error("'\(file)' has a mapping key that is not a string", p) }
                members.append((key.string, try yamlNode(v, depth: depth + 1, budget: &budget, file: file, p)))
            }
            return JB.object(members)
        case .alias:
            throw error("'\(file)' uses a YAML alias that cannot be resolved", p)
        }
    }

    /// `loadDirectoryFileInfo(directoryPath, [searchPattern])`: the files of a directory (not its subdirectories) as
    /// `{relativePath, baseName, extension}` objects, sorted by name
    /// (https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-files#loaddirectoryfileinfo).
    func loadDirectoryFileInfo(_ args: [Expr], _ env: Env, _ p: BicepPosition) throws(BicepError) -> JSONNode {
        guard let first = args.first, case .string(let rel, _) = first else {
            throw error("loadDirectoryFileInfo() needs the directory path as a string literal", p)
        }
        var pattern = "*"
        if args.count > 1 {
            guard case .string(let s, _) = args[1] else { throw error("loadDirectoryFileInfo()'s search pattern must be a string literal", p) }
            pattern = s
        }
        guard args.count <= 2 else { throw error("loadDirectoryFileInfo() takes a directory path and an optional search pattern", p) }
        let directoryPath = rel.hasPrefix("/") ? rel : (directory as NSString).appendingPathComponent(rel)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directoryPath, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directoryPath) else {
            throw error("cannot read the directory '\(directoryPath)' for loadDirectoryFileInfo()", p)
        }
        var items: [JSONNode] = []
        for name in names.sorted() where Self.matches(name, pattern: pattern) {
            var isDir: ObjCBool = false
            let full = (directoryPath as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue else { continue }
            let relative = Self.relativePath(from: directory, to: full)
            let ext = (name as NSString).pathExtension
            items.append(JB.object([("relativePath", JB.literal(relative)), ("baseName", JB.literal(name)),
                                    ("extension", JB.literal(ext.isEmpty ? "" : "." + ext))]))
            guard items.count <= 10_000 else { throw error("'\(directoryPath)' has more than 10,000 files", p) }
        }
        return JB.array(items)
    }

    /// Whether a file name matches a search pattern with `*` (any run) and `?` (one character).
    static func matches(_ name: String, pattern: String) -> Bool {
        let n = Array(name), pat = Array(pattern)
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            let key = i * (pat.count + 1) + j
            if let m = memo[key] { return m }
            let result: Bool
            if j == pat.count { result = i == n.count }
            else if pat[j] == "*" { result = match(i, j + 1) || (i < n.count && match(i + 1, j)) }
            else { result = i < n.count && (pat[j] == "?" || pat[j] == n[i]) && match(i + 1, j + 1) }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }

    /// `to` relative to the directory `from`, with `/` separators (`modules/app.bicep`, `../shared/x.json`).
    static func relativePath(from: String, to: String) -> String {
        let a = (from as NSString).standardizingPath.split(separator: "/").map(String.init)
        let b = (to as NSString).standardizingPath.split(separator: "/").map(String.init)
        var common = 0
        while common < a.count, common < b.count - 1, a[common] == b[common] { common += 1 }
        return (Array(repeating: "..", count: a.count - common) + b[common...]).joined(separator: "/")
    }

    func escapeLiterals(_ n: JSONNode) -> JSONNode {
        var out = n
        switch n.kind {
        case .string(let s): if s.hasPrefix("["), s.hasSuffix("]") { out.kind = .string("[" + s) }
        case .array(let items): out.kind = .array(items.map(escapeLiterals))
        case .object(let members): out.kind = .object(members.map { JB.member($0.key, escapeLiterals($0.value)) })
        default: break
        }
        return out
    }
}
