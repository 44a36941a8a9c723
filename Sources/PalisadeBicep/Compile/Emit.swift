import Foundation
import PalisadeARM

/// The `apiVersion` the compiler writes on the nested deployment of a module.
let moduleDeploymentAPIVersion = "2025-04-01"

extension FileCompiler {
    /// Resource properties known without a `reference()` call.
    static let compileTimeProperties: Set<String> = ["id", "name", "type", "apiVersion"]

    /// The whole template: https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax
    func template() throws(BicepError) -> JSONNode {
        try checkTypes()
        var top: [(String, JSONNode)] = []
        let schema: String = switch targetScope.lowercased() {
        case "subscription": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
        case "managementgroup": "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#"
        case "tenant": "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#"
        default: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
        }
        top.append(("$schema", JB.string(schema)))
        top.append(("languageVersion", JB.string("2.0")))
        top.append(("contentVersion", JB.string("1.0.0.0")))
        var meta: [(String, JSONNode)] = [("_generator", JB.object([("name", JB.string("palisade")), ("version", JB.string("1"))]))]
        for (k, v) in metadata { meta.append((k, try value(v, [:]))) }
        top.append(("metadata", JB.object(meta)))

        // Types.
        var definitions: [(String, JSONNode)] = importedDefinitions
        for (name, t) in types.sorted(by: { $0.key < $1.key }) {
            definitions.append((name, try typeNode(t.type, decorators: t.decorators)))
        }
        if !definitions.isEmpty { top.append(("definitions", JB.object(definitions))) }

        // Functions.
        var members: [(String, JSONNode)] = importedFunctions
        for (name, f) in functions.sorted(by: { $0.key < $1.key }) { members.append((name, try functionNode(f))) }
        if !members.isEmpty {
            top.append(("functions", JB.array([JB.object([("namespace", JB.string("__bicep")), ("members", JB.object(members))])])))
        }

        // Parameters.
        var params: [(String, JSONNode)] = []
        for name in parameterOrder {
            guard let p = parameters[name] else { continue }
            var node = try typeNode(p.type ?? .named("object", p.position), decorators: p.decorators, at: p.position)
            if let d = p.defaultValue { node = JB.setting(node, "defaultValue", try value(d, [:])) }
            params.append((name, node))
        }
        if !params.isEmpty { top.append(("parameters", JB.object(params))) }

        // Variables.
        var vars: [(String, JSONNode)] = importedVariables
        for name in variableOrder {
            guard let v = variables[name] else { continue }
            vars.append((name, try value(v.value, [:])))
        }
        if !vars.isEmpty { top.append(("variables", JB.object(vars))) }

        // Resources and modules, in declaration order (resources first as the compiler does; order does not matter).
        var resourceNodes: [(String, JSONNode)] = []
        for r in resourceOrder { resourceNodes.append((r.symbolicName, try resourceNode(r))) }
        for m in moduleOrder { resourceNodes.append((m.symbolicName, try moduleNode(m))) }
        top.append(("resources", JB.object(resourceNodes)))

        // Assertions, as the compiler emits them (`asserts`: name → boolean expression); the evaluator checks them.
        if !asserts.isEmpty {
            var members: [(String, JSONNode)] = []
            for a in asserts { members.append((a.name, JB.expression(try expr(a.condition, [:]), a.position))) }
            top.append(("asserts", JB.object(members)))
        }

        var outs: [(String, JSONNode)] = []
        for o in outputs {
            var node = try typeNode(o.type, decorators: o.decorators, at: o.position)
            if case .forLoop(let loop) = o.value {
                node = JB.setting(node, "value", JB.expression(try loopExpression(loop, [:]), o.value.position))
            } else {
                node = JB.setting(node, "value", try value(o.value, [:]))
            }
            outs.append((o.name, node))
        }
        if !outs.isEmpty { top.append(("outputs", JB.object(outs))) }
        return JB.object(top, BicepPosition(line: 1, column: 1))
    }

    // MARK: Resources

    func resourceNode(_ r: ResourceSymbol) throws(BicepError) -> JSONNode {
        var members: [(String, JSONNode)] = []
        let env: Env
        var index: String?
        if let loop = r.loop {
            let source = try expr(loop.source, [:])
            index = "copyIndex()"
            env = loopEnv(loop, source: source, index: "copyIndex()", [:])
            var copy: [(String, JSONNode)] = [("name", JB.string(r.symbolicName)), ("count", JB.expression("length(\(source))", loop.source.position))]
            if let batch = r.decorators.first(where: { $0.name == "batchSize" }), let size = batch.arguments.first {
                copy.append(("mode", JB.string("serial")))
                copy.append(("batchSize", try value(size, [:])))
            }
            members.append(("copy", JB.object(copy, loop.position)))
        } else {
            env = [:]
        }
        if let c = r.condition {
            members.append(("condition", try value(c, env)))
        }
        if r.existing { members.append(("existing", JB.bool(true))) }
        members.append(("type", JB.string(r.type)))
        members.append(("apiVersion", JB.string(r.apiVersion)))
        if let scope = effectiveScope(r) {
            if let ref = symbolReference(scope, env), let target = ref.resource {
                let targetIndex = try ref.index.map { (e: Expr) throws(BicepError) -> String in try expr(e, env) }
                members.append(("scope", JB.expression(try resourceIDExpression(target, index: targetIndex), scope.position)))
            } else if case .call(_, let fn, let args, _) = scope, fn == "resourceGroup" || fn == "subscription" {
                if fn == "resourceGroup" {
                    if args.count == 2 {
                        members.append(("subscriptionId", try value(args[0], env)))
                        members.append(("resourceGroup", try value(args[1], env)))
                    } else if args.count == 1 {
                        members.append(("resourceGroup", try value(args[0], env)))
                    }
                } else if args.count == 1 {
                    members.append(("subscriptionId", try value(args[0], env)))
                }
            } else if case .call(_, "tenant", _, _) = scope {
                members.append(("scope", JB.string("/")))
            } else {
                members.append(("scope", try value(scope, env)))
            }
        }
        members.append(("name", JB.expression(try fullName(r, index: index), r.property("name")?.position ?? r.position)))
        if !r.existing {
            for item in r.body {
                guard case .property(let k, let v, _) = item else { continue }
                if ["name", "parent", "scope", "dependsOn"].contains(k) { continue }
                members.append((k, try value(v, env)))
            }
        }
        let deps = try dependencies(of: r)
        if !deps.isEmpty { members.append(("dependsOn", JB.array(deps.map { JB.string($0) }))) }
        // The literal `name` of a plain string stays literal JSON.
        var node = JB.object(members, r.position)
        if let n = r.property("name"), r.parent == nil, r.loop == nil, case .string(let s, let p) = n {
            node = JB.setting(node, "name", JB.literal(s, p))
        }
        return node
    }

    // MARK: Modules

    func moduleNode(_ m: ModuleSymbol) throws(BicepError) -> JSONNode {
        var members: [(String, JSONNode)] = []
        let env: Env
        if let loop = m.loop {
            let source = try expr(loop.source, [:])
            env = loopEnv(loop, source: source, index: "copyIndex()", [:])
            var copy: [(String, JSONNode)] = [("name", JB.string(m.symbolicName)), ("count", JB.expression("length(\(source))", loop.source.position))]
            if let batch = m.decorators.first(where: { $0.name == "batchSize" }), let size = batch.arguments.first {
                copy.append(("mode", JB.string("serial")))
                copy.append(("batchSize", try value(size, [:])))
            }
            members.append(("copy", JB.object(copy, loop.position)))
        } else {
            env = [:]
        }
        if let c = m.condition { members.append(("condition", try value(c, env))) }
        members.append(("type", JB.string("Microsoft.Resources/deployments")))
        members.append(("apiVersion", JB.string(moduleDeploymentAPIVersion)))
        if let n = m.property("name") {
            members.append(("name", try value(n, env)))
        } else {
            // Bicep names an unnamed module after its symbol and the parent deployment.
            members.append(("name", JB.expression("format('{0}-{1}', \(JB.quote(m.symbolicName)), uniqueString(\(JB.quote(m.symbolicName)), deployment().name))", m.position)))
        }
        if let scope = m.property("scope") {
            if let ref = symbolReference(scope, env), let rg = ref.resource, rg.type.lowercased() == "microsoft.resources/resourcegroups" {
                members.append(("resourceGroup", JB.expression(try ownName(rg, index: nil), scope.position)))
            } else if case .call(_, let fn, let args, _) = scope {
                switch fn {
                case "resourceGroup":
                    if args.count == 2 {
                        members.append(("subscriptionId", try value(args[0], env)))
                        members.append(("resourceGroup", try value(args[1], env)))
                    } else if args.count == 1 {
                        members.append(("resourceGroup", try value(args[0], env)))
                    }
                case "subscription":
                    if let a = args.first { members.append(("subscriptionId", try value(a, env))) }
                    members.append(("location", JB.expression("deployment().location")))
                case "managementGroup":
                    if let a = args.first { members.append(("scope", JB.expression("format('Microsoft.Management/managementGroups/{0}', \(try expr(a, env)))"))) }
                    members.append(("location", JB.expression("deployment().location")))
                case "tenant":
                    members.append(("scope", JB.string("/")))
                    members.append(("location", JB.expression("deployment().location")))
                default:
                    break
                }
            }
        }
        var props: [(String, JSONNode)] = [
            ("expressionEvaluationOptions", JB.object([("scope", JB.string("inner"))])),
            ("mode", JB.string("Incremental")),
        ]
        var params: [(String, JSONNode)] = []
        if case .object(let items, _)? = m.property("params") {
            for item in items {
                guard case .property(let k, let v, let p) = item else { continue }
                if case .call(let base?, "getSecret", let args, _) = v, let ref = symbolReference(base, env), let vault = ref.resource,
                   let secretName = args.first {
                    let id = try resourceIDExpression(vault, index: try ref.index.map { (e: Expr) throws(BicepError) -> String in try expr(e, env) })
                    var refMembers: [(String, JSONNode)] = [("keyVault", JB.object([("id", JB.expression(id))])),
                                                            ("secretName", try value(secretName, env))]
                    if args.count > 1 { refMembers.append(("secretVersion", try value(args[1], env))) }
                    params.append((k, JB.object([("reference", JB.object(refMembers))], p)))
                    continue
                }
                params.append((k, JB.object([("value", try value(v, env))], p)))
            }
        } else if let other = m.property("params") {
            throw error("a module's params must be an object literal", other.position)
        }
        props.append(("parameters", JB.object(params)))
        if let t = try session.moduleTemplate(m.path, from: self, at: m.position) {
            if case .bicep(let path) = session.resolve(m.path, from: self), let callee = session.compilers[path] {
                try checkModuleArguments(m, callee: callee)
            }
            props.append(("template", t))
        } else {
            props.append(("templateLink", JB.object([("id", JB.string(m.path))])))
        }
        members.append(("properties", JB.object(props)))
        let deps = try dependencies(of: m)
        if !deps.isEmpty { members.append(("dependsOn", JB.array(deps.map { JB.string($0) }))) }
        return JB.object(members, m.position)
    }

    // MARK: Dependencies

    /// Symbolic names a declaration depends on, found from its references the way the compiler infers `dependsOn`:
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/resource-dependencies#implicit-dependency
    func dependencies(of r: ResourceSymbol) throws(BicepError) -> [String] {
        var found: [String] = []
        // `parent:` and `scope:` name a resource without reading it: an existing one is then no dependency.
        var exprs: [Expr] = r.body.compactMap {
            if case .property(let k, let v, _) = $0, !["dependsOn", "parent", "scope"].contains(k) { return v }
            return nil
        }
        if let c = r.condition { exprs.append(c) }
        if let l = r.loop { exprs.append(l.source) }
        for e in exprs { collect(e, into: &found, locals: []) }
        for k in ["parent", "scope"] {
            guard let v = r.property(k) else { continue }
            if let target = referencedSymbol(v, []), let res = target.resource {
                note(res, viaProperties: false, into: &found)
                if let i = target.index { collect(i, into: &found, locals: []) }
            } else {
                collect(v, into: &found, locals: [])
            }
        }
        if let parent = r.parent { note(parent, viaProperties: false, into: &found) }
        if let d = r.property("dependsOn") { explicit(d, into: &found) }
        return found.filter { $0 != r.symbolicName }
    }

    func dependencies(of m: ModuleSymbol) throws(BicepError) -> [String] {
        var found: [String] = []
        var exprs: [Expr] = m.body.compactMap {
            if case .property(let k, let v, _) = $0, !["dependsOn", "scope"].contains(k) { return v }
            return nil
        }
        if let c = m.condition { exprs.append(c) }
        if let l = m.loop { exprs.append(l.source) }
        for e in exprs { collect(e, into: &found, locals: []) }
        if let v = m.property("scope") {
            if let target = referencedSymbol(v, []), let res = target.resource {
                note(res, viaProperties: false, into: &found)
            } else {
                collect(v, into: &found, locals: [])
            }
        }
        if let d = m.property("dependsOn") { explicit(d, into: &found) }
        return found.filter { $0 != m.symbolicName }
    }

    private func explicit(_ e: Expr, into found: inout [String]) {
        // `dependsOn: [a, b]`, or a single symbol such as a whole resource or module collection.
        let items: [Expr]
        if case .array(let list, _) = e { items = list } else { items = [e] }
        for item in items {
            var target = item
            if case .index(let b, _, _, _) = item { target = b }
            if let r = resourceSymbol(target) { if !found.contains(r.symbolicName) { found.append(r.symbolicName) } }
            else if case .identifier(let n, _) = target, modules[n] != nil, !found.contains(n) { found.append(n) }
        }
    }

    private func note(_ r: ResourceSymbol, viaProperties: Bool, into found: inout [String]) {
        // An existing resource is a dependency only when its runtime properties are read (reference()).
        if r.existing && !viaProperties { return }
        if !found.contains(r.symbolicName) { found.append(r.symbolicName) }
    }

    private func collect(_ e: Expr, into found: inout [String], locals: Set<String>) {
        func recurse(_ x: Expr) { collect(x, into: &found, locals: locals) }
        // Symbol accesses first.
        switch e {
        case .property(let base, let name, _, _):
            if let target = referencedSymbol(base, locals) {
                if let r = target.resource {
                    note(r, viaProperties: !FileCompiler.compileTimeProperties.contains(name), into: &found)
                    if let i = target.index { recurse(i) }
                    return
                }
                if let m = target.module {
                    if !found.contains(m.symbolicName) { found.append(m.symbolicName) }
                    if let i = target.index { recurse(i) }
                    return
                }
            }
        case .call(let base?, let name, let args, _):
            if let target = referencedSymbol(base, locals), let r = target.resource {
                note(r, viaProperties: name != "getSecret", into: &found)
                args.forEach(recurse)
                return
            }
        default:
            break
        }
        if let target = referencedSymbol(e, locals) {
            if let r = target.resource { note(r, viaProperties: true, into: &found) }
            if let m = target.module, !found.contains(m.symbolicName) { found.append(m.symbolicName) }
            if let i = target.index { recurse(i) }
            return
        }
        switch e {
        case .identifier(let n, _):
            if !locals.contains(n), let v = variables[n], !scanning.contains(n) {
                scanning.insert(n)
                collect(v.value, into: &found, locals: [])
                scanning.remove(n)
            }
        case .interpolated(_, let holes, _): holes.forEach(recurse)
        case .array(let items, _): items.forEach(recurse)
        case .object(let items, _):
            for item in items {
                switch item {
                case .property(_, let v, _): recurse(v)
                case .spread(let s, _): recurse(s)
                case .computed(let k, let v, _): recurse(k); recurse(v)
                case .resource: break
                }
            }
        case .property(let b, _, _, _): recurse(b)
        case .index(let b, let i, _, _): recurse(b); recurse(i)
        case .child(let b, _, _): recurse(b)
        case .call(let b, _, let args, _):
            if let b { recurse(b) }
            args.forEach(recurse)
        case .unary(_, let x, _): recurse(x)
        case .binary(_, let a, let b, _): recurse(a); recurse(b)
        case .ternary(let c, let a, let b, _): recurse(c); recurse(a); recurse(b)
        case .nonNull(let x, _): recurse(x)
        case .lambda(let ps, let body, _): collect(body, into: &found, locals: locals.union(ps))
        case .forLoop(let loop):
            recurse(loop.source)
            var inner = locals
            if let i = loop.item { inner.insert(i) }
            if let i = loop.index { inner.insert(i) }
            if let c = loop.condition { collect(c, into: &found, locals: inner) }
            collect(loop.body, into: &found, locals: inner)
        case .conditional(let c, let b, _): recurse(c); recurse(b)
        default: break
        }
    }

    private func referencedSymbol(_ e: Expr, _ locals: Set<String>) -> (resource: ResourceSymbol?, module: ModuleSymbol?, index: Expr?)? {
        if case .identifier(let n, _) = e, locals.contains(n) { return nil }
        var env: Env = [:]
        for l in locals { env[l] = "x" }
        return symbolReference(e, env)
    }

    // MARK: Functions

    func functionNode(_ f: (parameters: [(String, TypeExpr)], result: TypeExpr, body: Expr, decorators: [Decorator])) throws(BicepError) -> JSONNode {
        var env: Env = [:]
        var params: [JSONNode] = []
        for (name, type) in f.parameters {
            env[name] = "parameters(\(JB.quote(name)))"
            params.append(JB.setting(try typeNode(type, decorators: []), "name", JB.string(name)))
        }
        let output = JB.setting(try typeNode(f.result, decorators: []), "value", JB.expression(try expr(f.body, env), f.body.position))
        return JB.object([("parameters", JB.array(params)), ("output", output)])
    }
}
