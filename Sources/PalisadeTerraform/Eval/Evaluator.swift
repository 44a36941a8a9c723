import Foundation
import PalisadeModel

/// An evaluation error at a position; reading stops with exit code 2.
struct EvalError: Error {
    var message: String
    var position: HCLPosition?
    var fix: String?
    var code = "terraform.evaluate"

    init(_ message: String, at position: HCLPosition?, fix: String? = nil, code: String = "terraform.evaluate") {
        self.message = message
        self.position = position
        self.fix = fix
        self.code = code
    }
}

/// Names bound while evaluating: `each`, `count`, `for` variables, dynamic block iterators.
struct Scope {
    let module: ModuleInstance
    var bindings: [String: HCLValue] = [:]

    func binding(_ name: String, _ value: HCLValue) -> Scope {
        var copy = self
        copy.bindings[name] = value
        return copy
    }
}

/// One evaluated resource or data source instance.
struct ResourceInstance {
    /// Full address, e.g. `module.network.azurerm_subnet.shared` or `azurerm_subnet.a["x"]`.
    var address: String
    var mode: ResourceConfig.Mode
    var type: String
    var name: String
    /// The evaluated arguments and nested blocks (blocks as lists of objects), plus computed attributes.
    var value: HCLValue
    /// Where the block is written.
    var position: HCLPosition
    /// The module the instance lives in.
    var moduleAddress: String
    /// Where each argument and nested block is written, keyed by its path in the value (`public_network_access_enabled`,
    /// `security_rule[1]`, `security_rule[1].source_address_prefix`); `dynamic` blocks' items point at their `content`.
    var positions: [String: HCLPosition] = [:]
}

/// Collects where the arguments and blocks of one resource instance are written while its body is evaluated.
final class PositionTable {
    var table: [String: HCLPosition] = [:]
}

/// A module call's instance: its configuration, the caller's input expressions and the caches of its values.
final class ModuleInstance {
    let config: ModuleConfig
    /// `""` for the root, otherwise e.g. `module.network` or `module.spoke["a"]`.
    let address: String
    /// The call path without instance keys, as `modules.json` keys it (`network.subnets`).
    let callPath: String
    let depth: Int
    /// Input expressions with the scope they are evaluated in (the caller's).
    var inputs: [String: (HCLExpression, Scope)] = [:]
    /// Root variable values.
    var rootValues: [String: HCLValue] = [:]
    var variableCache: [String: HCLValue] = [:]
    var localCache: [String: HCLValue] = [:]
    var resourceCache: [String: HCLValue] = [:]
    var instances: [String: [ResourceInstance]] = [:]
    var outputCache: [String: HCLValue] = [:]
    var children: [String: [(key: HCLValue?, instance: ModuleInstance)]] = [:]
    /// Calls whose module source is not available: their outputs are unknown.
    var missingCalls: Set<String> = []

    init(config: ModuleConfig, address: String, callPath: String, depth: Int) {
        self.config = config
        self.address = address
        self.callPath = callPath
        self.depth = depth
    }

    func qualify(_ local: String) -> String { address.isEmpty ? local : "\(address).\(local)" }
}

/// Evaluates a root module and everything it calls, lazily: a value is computed when first referenced, once.
final class Evaluator {
    /// Limits so hostile configurations fail fast.
    static let maxInstancesPerResource = 10_000
    static let maxTotalInstances = 200_000
    static let maxModuleDepth = 32
    static let maxLazyDepth = 400
    static let maxCollection = 1_000_000

    let options: TerraformOptions
    var diagnostics = Diagnostics()
    /// What was assumed about values only known after apply, one sentence each (deduplicated, in order).
    private(set) var assumptions: [String] = []
    private var assumptionSet: Set<String> = []
    var root: ModuleInstance!
    let rootDirectory: String
    private var inProgress: [String] = []
    private var inProgressSet: Set<String> = []
    private var totalInstances = 0
    var moduleManifest: [String: String]?
    /// Files read by `data.local_file`, by content, so an embedded ARM template keeps its own file name.
    var fileOrigins: [String: String] = [:]
    /// Managed instances by computed ARM ID, for data sources that read a resource the configuration creates.
    private var managedByID: [String: ResourceInstance]?
    private var buildingIndex = false
    /// Elements all `for` expressions and `range` calls may still produce, so nested loops cannot exhaust memory.
    var elementBudget = 2_000_000

    func spend(_ count: Int, at position: HCLPosition?) throws {
        elementBudget -= count
        if elementBudget < 0 {
            throw EvalError("the configuration builds more than 2 million collection elements", at: position,
                            fix: "check for nested for expressions or range() over large numbers")
        }
    }
    var fileReader: (String) -> String? = { path in
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    init(rootDirectory: String, options: TerraformOptions) {
        self.rootDirectory = rootDirectory
        self.options = options
    }

    func assume(_ text: String) {
        if assumptionSet.insert(text).inserted { assumptions.append(text) }
    }

    func warn(_ code: String, _ message: String, fix: String? = nil, at position: HCLPosition?) {
        diagnostics.append(Diagnostic(.warning, code: code, message, fix: fix, at: position?.location))
    }

    // MARK: - Lazy values with cycle detection

    private func guarded<T>(_ key: String, _ what: String, at position: HCLPosition?, _ body: () throws -> T) throws -> T {
        if inProgressSet.contains(key) {
            let start = inProgress.firstIndex(of: key) ?? 0
            let cycle = (inProgress[start...] + [key]).joined(separator: " → ")
            throw EvalError("\(what) depends on itself: \(cycle)", at: position,
                            fix: "break the cycle: one of these values must not refer back to the others", code: "terraform.cycle")
        }
        if inProgress.count >= Self.maxLazyDepth {
            throw EvalError("references nest deeper than \(Self.maxLazyDepth) levels", at: position, fix: "simplify the chain of locals")
        }
        inProgress.append(key)
        inProgressSet.insert(key)
        defer {
            inProgress.removeLast()
            inProgressSet.remove(key)
        }
        return try body()
    }

    func variable(_ name: String, in module: ModuleInstance, at position: HCLPosition?) throws -> HCLValue {
        if let cached = module.variableCache[name] { return cached }
        guard let block = module.config.variables[name] else {
            throw EvalError("reference to undeclared input variable '\(name)'", at: position,
                            fix: "declare it: variable \"\(name)\" {}", code: "terraform.undeclared")
        }
        let value: HCLValue = try guarded(module.qualify("var.\(name)"), "variable '\(name)'", at: position) {
            var raw: HCLValue?
            if let (expression, scope) = module.inputs[name] {
                raw = try evaluate(expression, scope)
            } else if let given = module.rootValues[name] {
                raw = given
            }
            if raw == nil || raw == .null, let defaultExpression = block.body.attribute("default")?.expression {
                if raw == nil || block.body.attribute("nullable").flatMap({ ModuleConfig.literal($0.expression) }) == "false" {
                    raw = try evaluate(defaultExpression, Scope(module: module))
                }
            }
            guard let raw else {
                let how = module.address.isEmpty
                    ? "give it a value: --var \(name)=VALUE, a terraform.tfvars file, --var-file FILE or TF_VAR_\(name)"
                    : "set \(name) = … in the module block that calls this module"
                throw EvalError("required variable '\(name)' has no value", at: block.position, fix: how, code: "terraform.missing-variable")
            }
            return try conform(raw, to: block.body.attribute("type")?.expression, path: "variable '\(name)'")
        }
        module.variableCache[name] = value
        if !block.body.blocks("validation").isEmpty {
            do {
                try validate(name, block, in: module)
            } catch {
                module.variableCache[name] = nil
                throw error
            }
        }
        return value
    }

    /// Converts a value to a variable's type constraint as Terraform does
    /// (https://developer.hashicorp.com/terraform/language/expressions/type-constraints): numbers and bools to strings,
    /// numeric and `true`/`false` strings back, tuples to lists and sets, objects to maps and objects (extra attributes
    /// dropped, `optional(type, default)` filled in), and mixed primitives in a collection to strings. A value that
    /// cannot be converted is an error naming the type and the path inside the value.
    func conform(_ value: HCLValue, to type: HCLExpression?, path: String, depth: Int = 0) throws -> HCLValue {
        guard let type, depth < 32 else { return value }
        if case .unknown = value { return value }
        if value == .null { return value }
        func mismatch(_ expected: String) -> EvalError {
            EvalError("\(path): \(expected) required, got \(value.typeName)", at: type.position,
                      fix: "give a value of the declared type", code: "terraform.variable-type")
        }
        if case .call(let name, let arguments, _) = type.kind {
            let inner = arguments.first
            switch name {
            case "list", "set":
                guard case .list(let items) = value else { throw mismatch("\(name) of \(inner.map(Self.typeText) ?? "any")") }
                var converted = try items.enumerated().map { try conform($0.element, to: inner, path: "\(path)[\($0.offset)]", depth: depth + 1) }
                if inner?.bareWord == "any" || inner == nil { converted = Evaluator.unified(converted) }
                if name == "set" {
                    var seen: [HCLValue] = []
                    for item in converted where !seen.contains(item) { seen.append(item) }
                    converted = seen.allSatisfy({ if case .string = $0 { true } else { false } })
                        ? seen.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") } : seen
                }
                return .list(converted)
            case "map":
                guard case .object(let members) = value else { throw mismatch("map of \(inner.map(Self.typeText) ?? "any")") }
                var converted: [String: HCLValue] = [:]
                for key in members.keys.sorted() { converted[key] = try conform(members[key]!, to: inner, path: "\(path)[\"\(key)\"]", depth: depth + 1) }
                if inner?.bareWord == "any" || inner == nil {
                    let keys = converted.keys.sorted()
                    converted = Dictionary(uniqueKeysWithValues: zip(keys, Evaluator.unified(keys.map { converted[$0]! })))
                }
                return .object(converted)
            case "tuple":
                guard case .list(let items) = value, case .tuple(let types)? = inner?.kind, items.count == types.count else {
                    throw mismatch("tuple of \((inner.flatMap { if case .tuple(let t) = $0.kind { t.count } else { nil } }) ?? 0) elements")
                }
                return .list(try zip(items, types).enumerated().map { try conform($0.element.0, to: $0.element.1, path: "\(path)[\($0.offset)]", depth: depth + 1) })
            case "object":
                guard case .object(let members) = value, case .object(let attributes)? = inner?.kind else { throw mismatch("object") }
                var converted: [String: HCLValue] = [:]
                for attribute in attributes {
                    guard let key = attribute.key.bareWord ?? ModuleConfig.literal(attribute.key) else { continue }
                    var attributeType = attribute.value
                    var optional = false
                    var fallback: HCLValue = .null
                    if case .call("optional", let optionalArguments, _) = attribute.value.kind, let first = optionalArguments.first {
                        attributeType = first
                        optional = true
                        if optionalArguments.count > 1 { fallback = try evaluate(optionalArguments[1], Scope(module: root)) }
                    }
                    if let present = members[key], present != .null {
                        converted[key] = try conform(present, to: attributeType, path: "\(path).\(key)", depth: depth + 1)
                    } else if members[key] == nil && !optional {
                        throw EvalError("\(path): attribute '\(key)' is required", at: attribute.key.position,
                                        fix: "add \(key) to the value, or declare it optional(…) in the type", code: "terraform.variable-type")
                    } else {
                        converted[key] = try conform(fallback, to: attributeType, path: "\(path).\(key)", depth: depth + 1)
                    }
                }
                return .object(converted)
            case "optional":
                return try conform(value, to: inner, path: path, depth: depth + 1)
            default:
                return value
            }
        }
        guard let word = type.bareWord else { return value }
        switch word {
        case "number":
            if case .number = value { return value }
            if case .string(let s) = value, let n = Double(s.trimmingCharacters(in: .whitespaces)) { return .number(n) }
            throw mismatch("number")
        case "bool":
            if case .bool = value { return value }
            if case .string(let s) = value, s == "true" || s == "false" { return .bool(s == "true") }
            throw mismatch("bool")
        case "string":
            if let s = value.stringValue { return .string(s) }
            throw mismatch("string")
        default:
            return value
        }
    }

    /// A type constraint written back as text, for messages.
    static func typeText(_ type: HCLExpression) -> String {
        if let word = type.bareWord { return word }
        if case .call(let name, let arguments, _) = type.kind { return "\(name)(\(arguments.map(typeText).joined(separator: ", ")))" }
        return "the declared type"
    }

    /// Evaluates a variable's `validation` blocks: a false condition is an error with the block's `error_message` at the
    /// condition's line; a condition only known after apply is not checked
    /// (https://developer.hashicorp.com/terraform/language/values/variables#custom-validation-rules).
    func validate(_ name: String, _ block: HCLBlock, in module: ModuleInstance) throws {
        for validation in block.body.blocks("validation") {
            guard let condition = validation.body.attribute("condition")?.expression else { continue }
            let result = try evaluate(condition, Scope(module: module))
            if case .unknown = result { continue }
            guard let passed = result.boolValue else {
                throw EvalError("the validation condition of variable '\(name)' must be a bool, got \(result.typeName)", at: condition.position,
                                code: "terraform.variable-validation")
            }
            if passed { continue }
            var message = "the value is not valid"
            if let expression = validation.body.attribute("error_message")?.expression,
               let text = (try? evaluate(expression, Scope(module: module)))?.stringValue {
                message = text
            }
            let how = module.address.isEmpty ? "set another value with --var \(name)=VALUE, a .tfvars file or TF_VAR_\(name)"
                : "set another value in the module block that calls \(module.address)"
            throw EvalError("invalid value for variable '\(name)': \(message)", at: condition.position, fix: how,
                            code: "terraform.variable-validation")
        }
    }

    func local(_ name: String, in module: ModuleInstance, at position: HCLPosition?) throws -> HCLValue {
        if let cached = module.localCache[name] { return cached }
        guard let attribute = module.config.locals[name] else {
            throw EvalError("reference to undeclared local value '\(name)'", at: position,
                            fix: "declare it in a locals block", code: "terraform.undeclared")
        }
        let value = try guarded(module.qualify("local.\(name)"), "local value '\(name)'", at: attribute.position) {
            try evaluate(attribute.expression, Scope(module: module))
        }
        module.localCache[name] = value
        return value
    }

    // MARK: - Resources

    /// The value of `type.name` (or `data.type.name`): an object, or a list/map of them with count/for_each.
    func resource(_ localAddress: String, in module: ModuleInstance, at position: HCLPosition?) throws -> HCLValue {
        if let cached = module.resourceCache[localAddress] { return cached }
        guard let index = module.config.resourceIndex[localAddress] else {
            throw EvalError("reference to undeclared resource '\(localAddress)'", at: position,
                            fix: "declare it, or check the spelling of the type and name", code: "terraform.undeclared")
        }
        let config = module.config.resources[index]
        let value = try guarded(module.qualify(localAddress), localAddress, at: config.block.position) {
            try expand(config, in: module)
        }
        module.resourceCache[localAddress] = value
        return value
    }

    private func expand(_ config: ResourceConfig, in module: ModuleInstance) throws -> HCLValue {
        let scope = Scope(module: module)
        let body = config.block.body
        let base = module.qualify(config.localAddress)
        var made: [ResourceInstance] = []
        func instance(_ key: HCLValue?, _ bindings: [String: HCLValue]) throws -> HCLValue {
            var s = scope
            for (k, v) in bindings { s.bindings[k] = v }
            let address = base + (key.map { Self.keySuffix($0) } ?? "")
            let positions = PositionTable()
            var value = try evaluateBody(body, s, skip: Self.metaArguments, positions: positions)
            value = try computed(config, address: address, value: value, module: module)
            made.append(ResourceInstance(address: address, mode: config.mode, type: config.type, name: config.name, value: value,
                                         position: config.block.position, moduleAddress: module.address, positions: positions.table))
            totalInstances += 1
            if totalInstances > Self.maxTotalInstances {
                throw EvalError("more than \(Self.maxTotalInstances) resource instances", at: config.block.position, fix: "reduce count or for_each")
            }
            return value
        }
        let result: HCLValue
        if let countExpression = body.attribute("count")?.expression {
            let count = try evaluate(countExpression, scope)
            var n: Int
            switch count {
            case .unknown(let u):
                warn("terraform.unknown-count", "count of \(base) is only known after apply (\(u.reference)); read as 1 instance",
                     at: countExpression.position)
                n = 1
            default:
                guard let number = count.numberValue, number >= 0, number == number.rounded() else {
                    throw EvalError("count must be a whole number ≥ 0, got \(count.typeName)", at: countExpression.position)
                }
                n = Int(number)
            }
            guard n <= Self.maxInstancesPerResource else {
                throw EvalError("count \(n) is larger than \(Self.maxInstancesPerResource)", at: countExpression.position)
            }
            var items: [HCLValue] = []
            for index in 0..<n { items.append(try instance(.number(Double(index)), ["count": .object(["index": .number(Double(index))])])) }
            result = .list(items)
        } else if let forEachExpression = body.attribute("for_each")?.expression {
            let collection = try evaluate(forEachExpression, scope)
            var members: [String: HCLValue] = [:]
            for (key, value) in try forEachPairs(collection, base, forEachExpression.position) {
                members[key] = try instance(.string(key), ["each": .object(["key": .string(key), "value": value])])
            }
            result = .object(members)
        } else {
            result = try instance(nil, [:])
        }
        module.instances[config.localAddress] = made
        return result
    }

    func forEachPairs(_ collection: HCLValue, _ what: String, _ position: HCLPosition) throws -> [(String, HCLValue)] {
        switch collection {
        case .object:
            guard collection.sortedEntries.count <= Self.maxInstancesPerResource else {
                throw EvalError("for_each has more than \(Self.maxInstancesPerResource) elements", at: position)
            }
            return collection.sortedEntries.map { ($0.key, $0.value) }
        case .list(let items):
            var pairs: [String: HCLValue] = [:]
            for item in items {
                guard let key = item.stringValue else {
                    if case .unknown = item {
                        warn("terraform.unknown-for-each", "a for_each key of \(what) is only known after apply; that instance is left out",
                             at: position)
                        continue
                    }
                    throw EvalError("for_each over a set needs strings, got \(item.typeName)", at: position,
                                    fix: "use toset([...]) of strings or a map")
                }
                pairs[key] = item
            }
            guard pairs.count <= Self.maxInstancesPerResource else {
                throw EvalError("for_each has more than \(Self.maxInstancesPerResource) elements", at: position)
            }
            return pairs.keys.sorted().map { ($0, pairs[$0]!) }
        case .unknown(let u):
            warn("terraform.unknown-for-each", "for_each of \(what) is only known after apply (\(u.reference)); no instances are read",
                 fix: "make the keys known from variables or locals", at: position)
            return []
        case .null:
            throw EvalError("for_each is null", at: position, fix: "use an empty map {} for no instances")
        default:
            throw EvalError("for_each must be a map or a set of strings, got \(collection.typeName)", at: position)
        }
    }

    static func keySuffix(_ key: HCLValue) -> String {
        switch key {
        case .number(let n): "[\(HCLValue.format(n))]"
        case .string(let s): "[\"\(s)\"]"
        default: ""
        }
    }

    /// The hidden member naming the resource an object is (removed before JSON encoding and key listings).
    static let addressKey = "__palisade_address"

    static let metaArguments: Set<String> = ["count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"]

    /// Evaluates a body: attributes as values, nested blocks as lists of objects, `dynamic` blocks expanded.
    /// Records where the literal-keyed members of an object constructor are written (`body.properties.x`), so an
    /// `azapi_resource` body locates its ARM properties.
    private func recordItems(_ expression: HCLExpression, _ path: String, _ positions: PositionTable, depth: Int) {
        guard depth < 16, case .object(let items) = expression.kind else { return }
        for item in items {
            guard let key = item.key.bareWord ?? ModuleConfig.literal(item.key) else { continue }
            positions.table["\(path).\(key)"] = item.key.position
            recordItems(item.value, "\(path).\(key)", positions, depth: depth + 1)
        }
    }

    /// With `positions`, records where each argument and block is written under `prefix`.
    func evaluateBody(_ body: HCLBody, _ scope: Scope, skip: Set<String> = [], positions: PositionTable? = nil,
                      prefix: String = "") throws -> HCLValue {
        var members: [String: HCLValue] = [:]
        for attribute in body.attributes where !skip.contains(attribute.name) {
            members[attribute.name] = try evaluate(attribute.expression, scope)
            if let positions {
                positions.table[prefix + attribute.name] = attribute.position
                recordItems(attribute.expression, prefix + attribute.name, positions, depth: 0)
            }
        }
        for block in body.blocks where !skip.contains(block.type) {
            if block.type == "dynamic", let name = block.labels.first {
                guard let forEach = block.body.attribute("for_each")?.expression else {
                    throw EvalError("dynamic block '\(name)' has no for_each", at: block.position)
                }
                let iterator = block.body.attribute("iterator")?.expression.bareWord ?? name
                let collection = try evaluate(forEach, scope)
                guard let content = block.body.blocks("content").first else {
                    throw EvalError("dynamic block '\(name)' has no content block", at: block.position)
                }
                var items = members[name]?.listValue ?? []
                let pairs: [(HCLValue, HCLValue)]
                switch collection {
                case .list(let list): pairs = list.enumerated().map { (.number(Double($0.offset)), $0.element) }
                case .object: pairs = collection.sortedEntries.map { (.string($0.key), $0.value) }
                case .null: pairs = []
                case .unknown(let u):
                    warn("terraform.unknown-dynamic", "the for_each of dynamic block '\(name)' is only known after apply (\(u.reference)); its blocks are left out",
                         at: forEach.position)
                    pairs = []
                default: throw EvalError("dynamic block for_each must be a collection, got \(collection.typeName)", at: forEach.position)
                }
                for (key, value) in pairs {
                    let inner = scope.binding(iterator, .object(["key": key, "value": value]))
                    let path = "\(prefix)\(name)[\(items.count)]"
                    positions?.table[path] = content.position
                    items.append(try evaluateBody(content.body, inner, positions: positions, prefix: path + "."))
                }
                members[name] = .list(items)
                continue
            }
            var items = members[block.type]?.listValue ?? []
            let path = "\(prefix)\(block.type)[\(items.count)]"
            positions?.table[path] = block.position
            var value = try evaluateBody(block.body, scope, positions: positions, prefix: path + ".")
            if !block.labels.isEmpty, case .object(var inner) = value {
                inner["__labels"] = .list(block.labels.map { .string($0) })
                value = .object(inner)
            }
            items.append(value)
            members[block.type] = .list(items)
        }
        return .object(members)
    }

    // MARK: - Modules

    func children(_ name: String, of module: ModuleInstance, at position: HCLPosition?) throws -> [(key: HCLValue?, instance: ModuleInstance)]? {
        if let existing = module.children[name] { return existing }
        if module.missingCalls.contains(name) { return nil }
        guard let block = module.config.moduleCalls[name] else {
            throw EvalError("reference to undeclared module '\(name)'", at: position, fix: "declare it with a module block", code: "terraform.undeclared")
        }
        return try guarded(module.qualify("module.\(name)") + "#expand", "module '\(name)'", at: block.position) {
            guard module.depth < Self.maxModuleDepth else {
                throw EvalError("modules nest deeper than \(Self.maxModuleDepth) levels", at: block.position, fix: "check for a module that calls itself")
            }
            guard let source = block.body.attribute("source").flatMap({ ModuleConfig.literal($0.expression) }) else {
                throw EvalError("module '\(name)' has no literal source", at: block.position, fix: "write source = \"./path\"")
            }
            let callPath = module.callPath.isEmpty ? name : "\(module.callPath).\(name)"
            guard let directory = resolveSource(source, from: module.config.directory, callPath: callPath) else {
                warn("terraform.module-unavailable",
                     "module '\(callPath)' (source \"\(source)\") is not available locally: its resources are unknown and not in the graph",
                     fix: "run terraform init so .terraform/modules holds it, or vendor it into a local directory", at: block.position)
                module.missingCalls.insert(name)
                return nil
            }
            var loadDiagnostics = Diagnostics()
            guard let config = ModuleConfig.load(directory: directory, diagnostics: &loadDiagnostics) else {
                diagnostics.append(contentsOf: loadDiagnostics)
                throw EvalError("module '\(callPath)' could not be read", at: block.position, fix: "fix the errors reported for \(directory)")
            }
            diagnostics.append(contentsOf: loadDiagnostics)
            let scope = Scope(module: module)
            var keys: [HCLValue?] = [nil]
            var bindingsFor: [[String: HCLValue]] = [[:]]
            if let countExpression = block.body.attribute("count")?.expression {
                let count = try evaluate(countExpression, scope)
                let n = count.numberValue.map { Int($0) } ?? 1
                if case .unknown = count { warn("terraform.unknown-count", "count of module '\(name)' is only known after apply; read as 1", at: countExpression.position) }
                guard n >= 0, n <= Self.maxInstancesPerResource else { throw EvalError("module count \(n) is out of range", at: countExpression.position) }
                keys = (0..<n).map { .number(Double($0)) }
                bindingsFor = (0..<n).map { ["count": .object(["index": .number(Double($0))])] }
            } else if let forEachExpression = block.body.attribute("for_each")?.expression {
                let pairs = try forEachPairs(try evaluate(forEachExpression, scope), "module.\(name)", forEachExpression.position)
                keys = pairs.map { .string($0.0) }
                bindingsFor = pairs.map { ["each": .object(["key": .string($0.0), "value": $0.1])] }
            }
            var result: [(key: HCLValue?, instance: ModuleInstance)] = []
            for (key, bindings) in zip(keys, bindingsFor) {
                let address = module.qualify("module.\(name)") + (key.map { Self.keySuffix($0) } ?? "")
                let child = ModuleInstance(config: config, address: address, callPath: callPath, depth: module.depth + 1)
                var callerScope = scope
                for (k, v) in bindings { callerScope.bindings[k] = v }
                for attribute in block.body.attributes where !["source", "version", "count", "for_each", "providers", "depends_on"].contains(attribute.name) {
                    guard config.variables[attribute.name] != nil else {
                        throw EvalError("module '\(name)' has no variable '\(attribute.name)'", at: attribute.position,
                                        fix: "remove the argument or declare variable \"\(attribute.name)\" in \(directory)", code: "terraform.undeclared")
                    }
                    child.inputs[attribute.name] = (attribute.expression, callerScope)
                }
                result.append((key, child))
            }
            module.children[name] = result
            return result
        }
    }

    /// The directory of a module source: local paths relative to the caller, others from `.terraform/modules/modules.json`.
    private func resolveSource(_ source: String, from directory: String, callPath: String) -> String? {
        if source.hasPrefix("./") || source.hasPrefix("../") {
            let path = ModuleConfig.join(directory, source)
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path : nil
        }
        if moduleManifest == nil {
            moduleManifest = [:]
            let manifest = ModuleConfig.join(rootDirectory, ".terraform/modules/modules.json")
            if let text = fileReader(manifest), let value = try? TerraformFunctions.decodeJSON(text, file: manifest),
               let modules = value["Modules"]?.listValue {
                for entry in modules {
                    if let key = entry["Key"]?.stringValue, let dir = entry["Dir"]?.stringValue { moduleManifest?[key] = dir }
                }
            }
        }
        guard let dir = moduleManifest?[callPath] else { return nil }
        let path = dir.hasPrefix("/") ? dir : ModuleConfig.join(rootDirectory, dir)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    func output(_ name: String, of module: ModuleInstance, at position: HCLPosition?) throws -> HCLValue {
        if let cached = module.outputCache[name] { return cached }
        guard let block = module.config.outputs[name] else {
            throw EvalError("module '\(module.address)' has no output '\(name)'", at: position,
                            fix: "declare output \"\(name)\" in \(module.config.directory)", code: "terraform.undeclared")
        }
        let value = try guarded(module.qualify("output.\(name)"), "output '\(name)'", at: block.position) {
            guard let expression = block.body.attribute("value")?.expression else { return HCLValue.null }
            var value = try evaluate(expression, Scope(module: module))
            if block.body.attribute("sensitive").flatMap({ ModuleConfig.literal($0.expression) }) == "true" || isSensitiveLiteral(block) {
                if !value.isNull { value = .unknown(HCLUnknown(module.qualify("output.\(name)"), sensitive: true)) }
            }
            return value
        }
        module.outputCache[name] = value
        return value
    }

    private func isSensitiveLiteral(_ block: HCLBlock) -> Bool {
        if case .literal(.bool(true))? = block.body.attribute("sensitive")?.expression.kind { return true }
        return false
    }

    /// `module.NAME` as a whole (all outputs), or the collection of instances with count/for_each.
    func moduleValue(_ name: String, in module: ModuleInstance, onlyOutput: String?, at position: HCLPosition?) throws -> HCLValue {
        guard let instances = try children(name, of: module, at: position) else {
            return .unknown(HCLUnknown(module.qualify("module.\(name)") + (onlyOutput.map { ".\($0)" } ?? "")))
        }
        let call = module.config.moduleCalls[name]!
        func outputs(_ child: ModuleInstance) throws -> HCLValue {
            if let onlyOutput { return .object([onlyOutput: try output(onlyOutput, of: child, at: position)]) }
            var members: [String: HCLValue] = [:]
            for key in child.config.outputs.keys.sorted() { members[key] = try output(key, of: child, at: position) }
            return .object(members)
        }
        if call.body.attribute("count") != nil { return .list(try instances.map { try outputs($0.instance) }) }
        if call.body.attribute("for_each") != nil {
            var members: [String: HCLValue] = [:]
            for (key, child) in instances { members[key?.stringValue ?? ""] = try outputs(child) }
            return .object(members)
        }
        return try outputs(instances[0].instance)
    }

    // MARK: - Whole configuration

    /// Evaluates every resource of every module instance, depth first in declaration order.
    func evaluateAll() throws -> [ResourceInstance] {
        var all: [ResourceInstance] = []
        func walk(_ module: ModuleInstance) throws {
            // Every variable is converted and validated, used or not, as Terraform does before planning.
            for name in module.config.variables.keys.sorted() {
                _ = try variable(name, in: module, at: module.config.variables[name]?.position)
            }
            for config in module.config.resources {
                _ = try resource(config.localAddress, in: module, at: config.block.position)
                all += module.instances[config.localAddress] ?? []
            }
            for name in module.config.moduleOrder {
                for child in try children(name, of: module, at: module.config.moduleCalls[name]?.position) ?? [] {
                    try walk(child.instance)
                }
            }
        }
        try walk(root)
        // Outputs are evaluated too, so errors in them are reported as Terraform would.
        for name in root.config.outputs.keys.sorted() { _ = try output(name, of: root, at: nil) }
        return all
    }

    /// Managed instances by their computed ID, built on first use (for data sources reading created resources).
    func managedInstance(withID id: String) throws -> ResourceInstance? {
        if buildingIndex {
            throw EvalError("a data source is read while the configuration's resources are being indexed", at: nil)
        }
        if managedByID == nil {
            buildingIndex = true
            defer { buildingIndex = false }
            managedByID = [:]
            var index: [String: ResourceInstance] = [:]
            func walk(_ module: ModuleInstance) {
                // Associations take their subnet's ID; they are not the resource a data source reads.
                for config in module.config.resources where config.mode == .managed && !config.type.hasSuffix("_association") {
                    guard (try? resource(config.localAddress, in: module, at: nil)) != nil else { continue }
                    for instance in module.instances[config.localAddress] ?? [] {
                        if let id = instance.value["id"]?.stringValue { index[id.lowercased()] = instance }
                    }
                }
                for name in module.config.moduleOrder {
                    for child in (try? children(name, of: module, at: nil)) ?? [] { walk(child.instance) }
                }
            }
            let saved = diagnostics
            walk(root)
            diagnostics = saved
            managedByID = index
        }
        return managedByID?[id.lowercased()]
    }
}
