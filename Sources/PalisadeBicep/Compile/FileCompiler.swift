import Foundation
import PalisadeARM
import PalisadeModel

/// Local names in scope while emitting an expression: loop items and indexes, lambda and function parameters,
/// each bound to the ARM expression text that stands for it.
typealias Env = [String: String]

/// Compiles one Bicep file into an ARM template (languageVersion 2.0, symbolic resource names) the way the Bicep
/// compiler does: https://learn.microsoft.com/azure/azure-resource-manager/bicep/overview (every construct maps to the
/// ARM template feature documented under https://learn.microsoft.com/azure/azure-resource-manager/templates/).
final class FileCompiler {
    let session: CompilationSession
    let path: String
    let file: BicepFile
    var targetScope = "resourceGroup"
    var metadata: [(String, Expr)] = []
    var parameterOrder: [String] = []
    var parameters: [String: (type: TypeExpr?, defaultValue: Expr?, decorators: [Decorator], position: BicepPosition)] = [:]
    var variableOrder: [String] = []
    var variables: [String: (value: Expr, decorators: [Decorator], position: BicepPosition)] = [:]
    var resourceOrder: [ResourceSymbol] = []
    var resources: [String: ResourceSymbol] = [:]
    var moduleOrder: [ModuleSymbol] = []
    var modules: [String: ModuleSymbol] = [:]
    var types: [String: (type: TypeExpr, decorators: [Decorator])] = [:]
    var functions: [String: (parameters: [(String, TypeExpr)], result: TypeExpr, body: Expr, decorators: [Decorator])] = [:]
    var outputs: [(name: String, type: TypeExpr, value: Expr, decorators: [Decorator], position: BicepPosition)] = []
    /// `assert` statements: conditions a deployment checks before it runs.
    var asserts: [(name: String, condition: Expr, position: BicepPosition)] = []
    /// Definitions, variables and functions brought in by `import`.
    var importedDefinitions: [(String, JSONNode)] = []
    var importedVariables: [(String, JSONNode)] = []
    var importedFunctions: [(String, JSONNode)] = []
    /// Imported definitions by name → where they came from (`file#type`).
    var importedOrigins: [String: String] = [:]
    /// Imported names (alias → kind) for symbol resolution.
    var importedNames: [String: String] = [:]
    /// `import * as ns` namespaces → their source compiler (Bicep) or JSON template.
    var namespaces: [String: ImportSource] = [:]
    /// Variables currently being scanned for dependencies (cycle guard).
    var scanning: Set<String> = []

    init(session: CompilationSession, path: String, file: BicepFile) {
        self.session = session
        self.path = path
        self.file = file
    }

    var directory: String { (path as NSString).deletingLastPathComponent }

    func error(_ message: String, _ at: BicepPosition) -> BicepError { BicepError(message: message, position: at) }

    // MARK: Declarations

    /// Collects declarations; duplicate names are errors, as in the compiler.
    func declare() throws(BicepError) {
        var seen: [String: BicepPosition] = [:]
        func claim(_ name: String, _ at: BicepPosition) throws(BicepError) {
            if let first = seen[name.lowercased()] {
                throw error("'\(name)' is declared more than once (first at line \(first.line % lineStride)); give each declaration its own name", at)
            }
            seen[name.lowercased()] = at
        }
        for statement in file.statements {
            switch statement {
            case .targetScope(let e, let at):
                guard case .string(let s, _) = e else { throw error("targetScope must be a string: 'resourceGroup', 'subscription', 'managementGroup' or 'tenant'", at) }
                guard ["resourcegroup", "subscription", "managementgroup", "tenant", "local"].contains(s.lowercased()) else {
                    throw error("targetScope '\(s)' is not one of 'resourceGroup', 'subscription', 'managementGroup', 'tenant'", at)
                }
                targetScope = s
            case .metadata(let name, let e, _):
                metadata.append((name, e))
            case .parameter(let name, let type, let def, let decs, let at):
                try claim(name, at)
                parameterOrder.append(name)
                parameters[name] = (type, def, decs, at)
            case .variable(let name, let value, let decs, let at):
                try claim(name, at)
                variableOrder.append(name)
                variables[name] = (value, decs, at)
            case .resource(let name, let typeText, let existing, let body, let decs, let at):
                try claim(name, at)
                try declareResource(name: name, symbolicName: name, typeText: typeText, existing: existing, body: body,
                                    decorators: decs, parent: nil, at: at)
            case .module(let name, let modulePath, let body, let decs, let at):
                try claim(name, at)
                guard let parts = declarationParts(body) else { throw error("a module body must be an object, 'if (…) {…}' or '[for …]'", at) }
                let m = ModuleSymbol(symbolicName: name, path: modulePath, body: parts.items, bodyPosition: parts.position,
                                     condition: parts.loop?.condition ?? parts.condition, loop: parts.loop, decorators: decs, position: at)
                moduleOrder.append(m)
                modules[name] = m
            case .output(let name, let type, let value, let decs, let at):
                outputs.append((name, type, value, decs, at))
            case .typeAlias(let name, let type, let decs, let at):
                try claim(name, at)
                types[name] = (type, decs)
            case .function(let name, let params, let result, let body, let decs, let at):
                try claim(name, at)
                functions[name] = (params, result, body, decs)
            case .importSymbols(let names, let wildcard, let importPath, let at):
                try importSymbols(names: names, wildcard: wildcard, importPath: importPath, at: at)
            case .assertion(let name, let condition, let at):
                try claim(name, at)
                asserts.append((name, condition, at))
            case .extensionDeclaration(let named, let at):
                // https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-extension
                session.diagnostics.append(Diagnostic(
                    .warning, code: "bicep.extension-not-read",
                    "the extension '\(named)' is not read: resources of its types are included as written, without its type definitions",
                    fix: "nothing to do for Azure resources; resources of the extension's types are not checked",
                    at: SourceLocation(file: path, line: at.line % lineStride, column: at.column)))
            case .using, .ignored:
                break
            }
        }
        // `parent:` properties link children to their parents.
        for r in resourceOrder where r.parent == nil {
            guard let p = r.property("parent") else { continue }
            var target = p
            if case .index(let base, let i, _, _) = p { target = base; r.parentIndex = i }
            guard let parent = resourceSymbol(target) else { throw error("'parent' must name a resource declared in this file", p.position) }
            r.parent = parent
        }
        // A type alias that stands for itself (`type a = b | 'x'`, `type b = a`) has no meaning; objects and arrays
        // may refer to their own type (recursive types), unions and aliases may not.
        for (name, t) in types.sorted(by: { $0.key < $1.key }) {
            var seen: Set<String> = []
            func reaches(_ e: TypeExpr) -> Bool {
                switch e {
                case .named(let n, _):
                    if n == name { return true }
                    guard let next = types[n], seen.insert(n).inserted else { return false }
                    return reaches(next.type)
                case .union(let members): return members.contains(where: reaches)
                case .nullable(let inner): return reaches(inner)
                default: return false
                }
            }
            if reaches(t.type) {
                throw error("the type '\(name)' is defined in terms of itself; give it a concrete type", file.statements.compactMap {
                    if case .typeAlias(let n, _, _, let p) = $0, n == name { return p }
                    return nil
                }.first ?? BicepPosition(line: 1, column: 1))
            }
        }
        // A parent chain must end: `a` parent of `b` parent of `a` is rejected, as the compiler does.
        for r in resourceOrder {
            var current = r.parent
            var hops = 0
            while let c = current {
                hops += 1
                if c === r || hops > 64 {
                    throw error("the 'parent' properties of '\(r.symbolicName)' form a cycle; a resource cannot be its own ancestor", r.position)
                }
                current = c.parent
            }
        }
    }

    func declareResource(name: String, symbolicName: String, typeText: String, existing: Bool, body: Expr, decorators: [Decorator],
                         parent: ResourceSymbol?, at: BicepPosition) throws(BicepError) {
        var type = typeText
        var apiVersion = ""
        if let at2 = typeText.lastIndex(of: "@") {
            type = String(typeText[..<at2])
            apiVersion = String(typeText[typeText.index(after: at2)...])
        } else if parent == nil {
            throw error("the resource type '\(typeText)' has no API version; write 'Namespace/type@yyyy-mm-dd'", at)
        }
        if let parent {
            let first = type.split(separator: "/").first.map(String.init) ?? ""
            if !first.contains(".") { type = parent.type + "/" + type }
            if apiVersion.isEmpty { apiVersion = parent.apiVersion }
        }
        guard type.split(separator: "/").count >= 2 else {
            throw error("'\(type)' is not a resource type; write 'Namespace/type@version'", at)
        }
        guard let parts = declarationParts(body) else { throw error("a resource body must be an object, 'if (…) {…}' or '[for …]'", at) }
        let r = ResourceSymbol(symbolicName: symbolicName, type: type, apiVersion: apiVersion, existing: existing, body: parts.items,
                               bodyPosition: parts.position, condition: parts.loop?.condition ?? parts.condition, loop: parts.loop,
                               decorators: decorators, position: at)
        r.parent = parent
        resourceOrder.append(r)
        resources[symbolicName] = r
        for item in parts.items {
            if case .resource(let child) = item, case .resource(let cname, let ctype, let cexisting, let cbody, let cdecs, let cat) = child {
                try declareResource(name: cname, symbolicName: "\(symbolicName)::\(cname)", typeText: ctype, existing: cexisting,
                                    body: cbody, decorators: cdecs, parent: r, at: cat)
            }
        }
    }

    // MARK: Symbol lookup

    /// The scope a resource is deployed at: its own `scope`, else its parent's.
    func effectiveScope(_ r: ResourceSymbol) -> Expr? {
        var current: ResourceSymbol? = r
        var hops = 0
        while let c = current, hops < 64 {
            if let s = c.property("scope") { return s }
            current = c.parent
            hops += 1
        }
        return nil
    }

    /// The resource an expression names (`res`, `res[i]`, `parent::child`, `res!`).
    func resourceSymbol(_ e: Expr) -> ResourceSymbol? {
        switch e {
        case .identifier(let n, _): return resources[n]
        case .child(let base, let name, _):
            guard let p = resourceSymbol(base) else { return nil }
            return resources["\(p.symbolicName)::\(name)"]
        case .nonNull(let inner, _): return resourceSymbol(inner)
        default: return nil
        }
    }

    /// A resource or module reference with its optional index: `x`, `x[i]`, `x!`, `a::b`.
    func symbolReference(_ e: Expr, _ env: Env) -> (resource: ResourceSymbol?, module: ModuleSymbol?, index: Expr?)? {
        switch e {
        case .identifier(let n, _) where env[n] == nil:
            if let r = resources[n] { return (r, nil, nil) }
            if let m = modules[n] { return (nil, m, nil) }
            return nil
        case .child:
            if let r = resourceSymbol(e) { return (r, nil, nil) }
            return nil
        case .nonNull(let inner, _): return symbolReference(inner, env)
        case .index(let base, let i, _, _):
            guard let ref = symbolReference(base, env), ref.index == nil,
                  (ref.resource?.loop != nil || ref.module?.loop != nil) else { return nil }
            return (ref.resource, ref.module, i)
        default: return nil
        }
    }
}

/// A file an `import` reads from.
enum ImportSource {
    case bicep(FileCompiler)
    case json(JSONNode, String)

    /// The file's path.
    var path: String {
        switch self {
        case .bicep(let fc): fc.path
        case .json(_, let p): p
        }
    }
}
