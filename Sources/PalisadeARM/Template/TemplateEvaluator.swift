import Foundation
import PalisadeModel

/// Options for evaluating a template.
public struct EvaluationOptions: Sendable {
    /// The deployment context (subscription, resource group, location, tenant, deployment name, fixed `utcNow`).
    public var deployment = DeploymentContext()
    /// Parameter values by name, already typed (e.g. from a parameter file); these win over defaults.
    public var parameters: [String: ARMValue] = [:]
    /// `name=value` overrides as typed on the command line; converted using the parameter's declared type.
    public var overrides: [String: String] = [:]
    /// Fill missing required parameters with typed placeholders instead of failing.
    public var placeholders = false
    /// Record where each property of each resource is written (`ExpandedResource.propertySources`).
    public var recordPropertySources = false
    /// Size and work bounds (Azure's documented template limits and Palisade's own work budget).
    public var limits = EvaluationLimits()
    /// Largest copy count accepted (Azure's limit is 800); shorthand for `limits.maxCopyCount`.
    public var maxCopyCount: Int {
        get { limits.maxCopyCount }
        set { limits.maxCopyCount = newValue }
    }
    /// Deepest chain of nested deployments expanded; shorthand for `limits.maxDeploymentDepth`.
    public var maxDeploymentDepth: Int {
        get { limits.maxDeploymentDepth }
        set { limits.maxDeploymentDepth = newValue }
    }
    /// Most evaluation steps before expansion stops with an error; shorthand for `limits.maxEvaluationSteps`.
    public var maxEvaluationSteps: Int {
        get { limits.maxEvaluationSteps }
        set { limits.maxEvaluationSteps = newValue }
    }

    /// Default options.
    public init() {}
}

/// Evaluates ARM templates the way Azure Resource Manager does, offline.
public enum TemplateEvaluator {
    /// Expands a parsed template.
    public static func expand(_ template: JSONNode, file: String, options: EvaluationOptions = EvaluationOptions()) -> ExpandedDeployment {
        if template["resources"] == nil, template["$schema"]?.stringValue?.lowercased().contains("deploymentparameters") == true {
            let at = SourceLocation(file: file, line: template["$schema"]?.line, column: template["$schema"]?.column, path: "$schema")
            return ExpandedDeployment(resources: [], outputs: ARMObject(), diagnostics: Diagnostics([
                Diagnostic(.error, code: "arm.template-shape", "this is a deployment parameters file, not a template",
                           fix: "pass the template and give this file with --parameters", at: at),
            ]))
        }
        if template.members != nil, template["resources"] == nil {
            // Any JSON object is not an empty template: Azure requires 'resources' (and a deploymentTemplate $schema).
            return ExpandedDeployment(resources: [], outputs: ARMObject(), diagnostics: Diagnostics([
                Diagnostic(.error, code: "arm.template-shape",
                           "this JSON object is not an ARM template or resource export: it has no 'resources'",
                           fix: "pass an ARM template (with \"resources\"), an az resource list export or a Palisade spec (.yaml)",
                           at: SourceLocation(file: file, line: template.line > 0 ? template.line : nil,
                                              column: template.column > 0 ? template.column : nil)),
            ]))
        }
        let sink = DiagnosticSink()
        sink.budget = options.maxEvaluationSteps
        let scope = TemplateScope(template: template, file: file, deployment: options.deployment, options: options, sink: sink,
                                  depth: 0, path: [])
        scope.bindParameters(supplied: options.parameters, overrides: options.overrides, topLevel: true)
        if sink.items.contains(where: { $0.code == "arm.missing-parameters" }) {
            return ExpandedDeployment(resources: [], outputs: ARMObject(), diagnostics: Diagnostics(sink.items))
        }
        scope.run()
        var result = ExpandedDeployment(resources: scope.expanded, outputs: scope.outputs, diagnostics: Diagnostics(sink.items))
        result.placeholderStrings = sink.placeholderStrings
        result.secretOutputs = sink.secretOutputs
        return result
    }
}

/// Collects diagnostics from every scope.
final class DiagnosticSink {
    var items: [Diagnostic] = []
    /// Calls to `newGuid()` so far.
    var newGuidCount = 0
    /// Work units left (function calls plus elements they produce); protects against exponential templates.
    var budget = 2_000_000
    /// Every evaluated resource of the whole expansion by lower-cased ID, so `reference(resourceId(…))` also finds
    /// resources created inside nested deployments.
    var resourcesByID: [String: ARMValue] = [:]
    /// Parsed expressions by source text: copy loops and repeated templates evaluate the same strings many times.
    var expressionCache: [String: ExpressionParser.Parsed] = [:]
    /// String placeholders handed out for parameters without a value.
    var placeholderStrings: Set<String> = []
    /// Outputs whose value is built from a secret, in every deployment of the expansion.
    var secretOutputs: [SecretOutput] = []
    /// Resources expanded so far in the whole deployment, nested deployments included.
    var totalResources = 0
    /// Set when a whole-expansion bound is exceeded: evaluation stops instead of reporting the same bound again
    /// for every remaining resource.
    var stopped = false
    private var seen: Set<String> = []
    func add(_ d: Diagnostic) {
        // The same problem at the same place (a nested template copied 800 times) is reported once.
        guard seen.insert("\(d.code)|\(d.message)|\(d.location?.description ?? "")").inserted else { return }
        items.append(d)
    }
}

/// Signals that a `reference()` target has not been evaluated yet; the resource is retried later.
struct DeferredReference: Error {
    var target: String
}

/// One template being evaluated: the top level or an inner-scope nested deployment.
final class TemplateScope: EvaluationHost {
    let template: JSONNode
    let file: String
    let deployment: DeploymentContext
    let options: EvaluationOptions
    let sink: DiagnosticSink
    let depth: Int
    let path: [String]
    /// For outer-scope nested deployments: where parameters and variables come from.
    weak var expressionParent: TemplateScope?

    var parameterValues: [String: ARMValue] = [:]
    var parameterNodes: [String: JSONNode] = [:]
    var parameterNames: [String: String] = [:]
    var secureParameters: Set<String> = []
    /// Evaluated secureObject parameters with their string leaves masked.
    var secureObjectValues: [String: ARMValue] = [:]
    var variableNodes: [String: JSONNode] = [:]
    var variableCopies: [String: JSONNode] = [:]
    var variableCache: [String: ARMValue] = [:]
    var variablesInProgress: [String] = []
    var functions: [String: JSONNode] = [:]
    var copyStack: [(name: String?, index: Int64)] = []
    /// Positions in `copyStack` held by value loops (property, variable and output `copy` arrays): an unnamed
    /// `copyIndex()` skips them, since inside a value loop its own index is asked for by name
    /// (https://learn.microsoft.com/azure/azure-resource-manager/templates/copy-properties).
    var valueLoopPositions: Set<Int> = []
    /// Whether `reference()` to a not-yet-evaluated resource defers the caller (false in the last pass).
    var deferralAllowed = true

    /// Evaluated resources that `reference()` can see, by lower-cased symbolic name, name and ID.
    var referenceable: [String: ARMValue] = [:]
    var expanded: [ExpandedResource] = []
    /// Resources this deployment itself declares (nested deployments count separately, as in Azure).
    var ownResourceCount = 0
    var outputs = ARMObject()
    /// Where the parent deployment wrote the value of each parameter it passes (lower-cased names), when property
    /// sources are recorded.
    var parameterSources: [String: SourceLocation] = [:]
    /// Resources this deployment deploys (not `existing`), by lower-cased ID, with where each was declared.
    var ownDeclarations: [String: SourceLocation] = [:]
    /// This deployment's resources as nodes of the `dependsOn` graph, in evaluation order.
    var dependencyNodes: [DependencyNode] = []

    init(template: JSONNode, file: String, deployment: DeploymentContext, options: EvaluationOptions, sink: DiagnosticSink,
         depth: Int, path: [String]) {
        self.template = template
        self.file = file
        self.deployment = deployment
        self.options = options
        self.sink = sink
        self.depth = depth
        self.path = path
        for m in template["parameters"]?.members ?? [] {
            parameterNodes[m.key.lowercased()] = m.value
            parameterNames[m.key.lowercased()] = m.key
            let type = (m.value["type"]?.stringValue ?? "").lowercased()
            if type == "securestring" || type == "secureobject" { secureParameters.insert(m.key.lowercased()) }
        }
        for m in template["variables"]?.members ?? [] {
            if m.key.lowercased() == "copy", case .array(let loops) = m.value.kind {
                for loop in loops {
                    if let n = loop["name"]?.stringValue { variableCopies[n.lowercased()] = loop }
                }
                continue
            }
            variableNodes[m.key.lowercased()] = m.value
        }
        for ns in template["functions"]?.elements ?? [] {
            let prefix = ns["namespace"]?.stringValue ?? ""
            for member in ns["members"]?.members ?? [] {
                functions["\(prefix).\(member.key)".lowercased()] = member.value
            }
        }
    }

    // MARK: Diagnostics

    func location(_ node: JSONNode, _ jsonPath: String, column: Int? = nil) -> SourceLocation {
        SourceLocation(file: file, line: node.line > 0 ? node.line : nil, column: column ?? (node.column > 0 ? node.column : nil),
                       path: jsonPath)
    }

    func report(_ severity: Diagnostic.Severity, _ code: String, _ message: String, fix: String? = nil, at node: JSONNode,
                _ jsonPath: String, column: Int? = nil) {
        sink.add(Diagnostic(severity, code: code, message, fix: fix, at: location(node, jsonPath, column: column)))
    }

    // MARK: Parameters

    func bindParameters(supplied: [String: ARMValue], overrides: [String: String], topLevel: Bool) {
        var suppliedLower: [String: ARMValue] = [:]
        for (k, v) in supplied { suppliedLower[k.lowercased()] = v }
        let templateParams = template["parameters"]
        for (k, _) in suppliedLower where parameterNodes[k] == nil {
            report(topLevel ? .error : .warning, "arm.unknown-parameter", "parameter '\(k)' is supplied but the template does not declare it",
                   fix: "remove it from the parameter file or check its spelling", at: templateParams ?? template, "parameters")
        }
        var overridesLower: [String: (String, String)] = [:]
        for (k, v) in overrides { overridesLower[k.lowercased()] = (k, v) }
        for (k, (orig, _)) in overridesLower where parameterNodes[k] == nil {
            sink.add(Diagnostic(.error, code: "arm.unknown-parameter", "--parameter '\(orig)' is not declared by the template",
                                fix: "declared parameters: \(parameterNames.values.sorted().joined(separator: ", "))", at: SourceLocation(file: file)))
        }
        var missing: [String] = []
        for m in templateParams?.members ?? [] {
            let key = m.key.lowercased()
            let decl = m.value
            let type = resolvedType(decl)
            if let (_, text) = overridesLower[key] {
                let secure = type == "securestring" || type == "secureobject"
                do {
                    let value = try convertOverride(text, type: type)
                    if type == "secureobject", value.objectValue == nil { throw ARMEvalError("not a JSON object") }
                    parameterValues[key] = value
                } catch {
                    // A secure value is never echoed, not even when it is malformed: it may still be (part of) a secret.
                    let shown = secure ? "--parameter \(m.key)=<secure value, not shown>: not a valid \(type) (a JSON object is expected)"
                                       : "--parameter \(m.key)=\(text): \(error)"
                    sink.add(Diagnostic(.error, code: "arm.parameter-type", shown,
                                        fix: "give a \(type) value", at: location(decl, "parameters.\(m.key)")))
                }
            } else if let v = suppliedLower[key], !(v == .null && decl["defaultValue"] != nil) {
                // A null value for a parameter with a default takes the default, as ARM does.
                parameterValues[key] = v
            } else if decl["defaultValue"] != nil {
                continue  // evaluated lazily: defaults may use other parameters and deployment functions
            } else if decl["nullable"]?.value == .bool(true) {
                parameterValues[key] = .null
            } else if options.placeholders || !topLevel {
                parameterValues[key] = placeholder(m.key, decl, type: type)
                if let text = parameterValues[key]?.stringValue { sink.placeholderStrings.insert(text) }
                let shown = ARMText.compactJSON(parameterValues[key] ?? .null)
                if topLevel {
                    report(.note, "arm.placeholder", "parameter '\(m.key)' has no value; using placeholder \(shown)",
                           at: decl, "parameters.\(m.key)")
                } else {
                    report(.warning, "arm.nested-parameter", "nested deployment '\(path.last ?? "")' does not pass required parameter '\(m.key)'; using placeholder \(shown)",
                           fix: "pass it under properties.parameters of the deployment", at: decl, "parameters.\(m.key)")
                }
            } else {
                missing.append(m.key)
            }
        }
        if !missing.isEmpty {
            sink.add(Diagnostic(.error, code: "arm.missing-parameters",
                                "required parameter\(missing.count == 1 ? "" : "s") without a value: \(missing.joined(separator: ", "))",
                                fix: "supply them with --parameters FILE or --parameter name=value, or use --placeholders",
                                at: location(templateParams ?? template, "parameters")))
        }
    }

    func resolvedType(_ decl: JSONNode) -> String {
        if let t = decl["type"]?.stringValue { return t.lowercased() }
        if let ref = decl["$ref"]?.stringValue, let name = ref.split(separator: "/").last,
           let def = template["definitions"]?[String(name)] {
            return resolvedType(def)
        }
        return "object"
    }

    func convertOverride(_ text: String, type: String) throws -> ARMValue {
        switch type {
        case "string", "securestring": return .string(text)
        case "int":
            guard let i = Int64(text) else { throw ARMEvalError("'\(text)' is not an integer") }
            return .int(i)
        case "bool":
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw ARMEvalError("'\(text)' is not true or false")
            }
        default:
            var p = JSONParser(maxDepth: 64)
            do { return try p.parse(text).value } catch { throw ARMEvalError("'\(text)' is not JSON (\(error))") }
        }
    }

    func placeholder(_ name: String, _ decl: JSONNode, type: String) -> ARMValue {
        if let allowed = decl["allowedValues"]?.elements?.first { return allowed.value }
        switch type {
        case "int": return .int((decl["minValue"]?.value.intValue) ?? 1)
        case "bool": return .bool(false)
        case "array": return .array([])
        case "object", "secureobject": return .object(ARMObject())
        default:
            let minLength = Int(decl["minLength"]?.value.intValue ?? 0)
            var text = "placeholder-\(name.lowercased())"
            if let maxLength = decl["maxLength"]?.value.intValue, text.count > maxLength { text = String(text.prefix(Int(maxLength))) }
            if text.count < minLength { text += String(repeating: "x", count: minLength - text.count) }
            return .string(text)
        }
    }

    func parameter(_ name: String) throws -> ARMValue {
        if let parent = expressionParent { return try parent.parameter(name) }
        let key = name.lowercased()
        guard let decl = parameterNodes[key] else {
            throw ARMEvalError("parameter '\(name)' is not declared", code: "arm.unknown-parameter",
                               fix: "declared parameters: \(parameterNames.values.sorted().joined(separator: ", "))")
        }
        if secureParameters.contains(key) {
            if let supplied = parameterValues[key], case .secret = supplied { return supplied }
            let shown = parameterNames[key] ?? name
            guard resolvedType(decl) == "secureobject" else { return .secret(.secureParameter(name: shown)) }
            // A secureObject is evaluated like any object (templates test its keys with contains(), empty(), `.?`);
            // only its string leaves are secret, so its text never reaches output.
            // https://learn.microsoft.com/azure/azure-resource-manager/templates/data-types#secure-strings-and-objects
            if let masked = secureObjectValues[key] { return masked }
            var value = parameterValues[key]
            if value == nil, let def = decl["defaultValue"] {
                secureObjectValues[key] = .unknown("parameter '\(name)' refers to itself")
                value = try evalNode(def, "parameters.\(shown).defaultValue")
            }
            let masked = TemplateScope.maskSecureLeaves(value ?? .null, name: shown)
            secureObjectValues[key] = masked
            return masked
        }
        if let v = parameterValues[key] { return v }
        guard let def = decl["defaultValue"] else { return .null }
        parameterValues[key] = .unknown("parameter '\(name)' refers to itself")
        let at = "parameters.\(parameterNames[key] ?? name).defaultValue"
        let v = try measured(try evalNode(def, at), def, at, limit: limits.maxValueBytes)
        parameterValues[key] = v
        return v
    }

    /// Replaces every string leaf of a secureObject value with a secret marker, keeping keys and structure.
    static func maskSecureLeaves(_ value: ARMValue, name: String) -> ARMValue {
        switch value {
        case .string: return .secret(.secureParameter(name: name))
        case .array(let items): return .array(items.map { maskSecureLeaves($0, name: name) })
        case .object(let o): return .object(ARMObject(o.entries.map { ($0.key, maskSecureLeaves($0.value, name: name)) }))
        default: return value
        }
    }

    /// Resolves `$ref: #/definitions/name` to the definition node.
    func resolveRef(_ node: JSONNode) -> JSONNode {
        var current = node
        var hops = 0
        while let ref = current["$ref"]?.stringValue, hops < 32,
              let name = ref.split(separator: "/").last, let def = template["definitions"]?[String(name)] {
            current = def
            hops += 1
        }
        return current
    }

    /// Validates a value against a user-defined type (`definitions`, inline `properties`/`items`); returns problems.
    func typeProblems(_ value: ARMValue, _ typeNode: JSONNode, _ path: String, depth: Int = 0) -> [String] {
        guard depth < 32 else { return [] }
        let t = resolveRef(typeNode)
        if value == .null || value.isUnknown { return [] }
        if case .secret = value { return [] }
        if t["discriminator"] != nil { return [] }
        var problems: [String] = []
        if depth > 0, let type = t["type"]?.stringValue?.lowercased() {
            let ok: Bool = switch (type, value) {
            case ("string", .string), ("securestring", .string), ("int", .int), ("bool", .bool), ("array", .array),
                 ("object", .object), ("secureobject", .object): true
            case ("string", _), ("int", _), ("bool", _), ("array", _), ("object", _): false
            default: true
            }
            if !ok { return ["\(path) should be \(type), not \(value.typeName)"] }
        }
        if depth > 0, let allowed = t["allowedValues"]?.elements?.map(\.value), !allowed.isEmpty {
            let match = allowed.contains { $0 == value || ($0.stringValue != nil && $0.stringValue?.lowercased() == value.stringValue?.lowercased()) }
            if !match, value.arrayValue == nil { problems.append("\(path) is \(ARMText.compactJSON(value)), not one of \(ARMText.compactJSON(.array(allowed)))") }
        }
        if case .object(let o) = value, let props = t["properties"]?.members {
            for p in props {
                let pt = resolveRef(p.value)
                if let v = o[p.key] {
                    problems += typeProblems(v, p.value, "\(path).\(p.key)", depth: depth + 1)
                } else if pt["nullable"]?.value != .bool(true) && p.value["nullable"]?.value != .bool(true) && pt["defaultValue"] == nil {
                    problems.append("\(path) is missing required property '\(p.key)'")
                }
            }
        }
        if case .array(let items) = value, let itemType = t["items"], itemType.members != nil {
            for (i, item) in items.enumerated() { problems += typeProblems(item, itemType, "\(path)[\(i)]", depth: depth + 1) }
        }
        return problems
    }

    /// Checks Azure's documented per-template limits (256 parameters, 512 variables, 64 outputs).
    func checkLimits() {
        for (section, limit) in [("parameters", limits.maxParameters), ("variables", limits.maxVariables), ("outputs", limits.maxOutputs)] {
            let count = template[section]?.members?.count ?? 0
            if count > limit, let node = template[section] {
                report(.error, "arm.template-limit", "the template declares \(count) \(section); Azure allows at most \(limit)",
                       fix: "group values into objects", at: node, section)
            }
        }
    }

    /// Checks allowed values, min/max and length constraints of every parameter.
    func validateParameters() {
        checkLimits()
        for (key, decl) in parameterNodes.sorted(by: { $0.key < $1.key }) {
            let name = parameterNames[key] ?? key
            guard let value = try? parameter(name) else { continue }
            if case .secret = value { continue }
            // A nullable parameter may be null whatever its constraints (allowedValues, min/max, length): Azure only
            // checks them on a value. https://learn.microsoft.com/azure/azure-resource-manager/templates/data-types#nullable-types
            if value == .null, decl["nullable"]?.value == .bool(true) { continue }
            let at = "parameters.\(name)"
            let declared = resolvedType(decl)
            let matches: Bool = switch (declared, value) {
            case (_, .unknown), (_, .null): true
            case ("string", .string), ("int", .int), ("bool", .bool), ("array", .array), ("object", .object): true
            case ("string", _), ("int", _), ("bool", _), ("array", _), ("object", _): false
            default: true
            }
            if !matches {
                report(.error, "arm.parameter-type", "parameter '\(name)' is declared \(declared) but its value is \(value.typeName) \(ARMText.compactJSON(value))",
                       fix: "give a \(declared) value", at: decl, at)
                continue
            }
            for problem in typeProblems(value, decl, name).prefix(10) {
                report(.error, "arm.parameter-shape", "parameter \(problem)", fix: "match the type declared under 'definitions'", at: decl, at)
            }
            if let allowed = decl["allowedValues"]?.elements, !value.isUnknown {
                let values = allowed.map(\.value)
                let ok: Bool
                // Azure compares allowed strings case-insensitively.
                func allowedMatch(_ v: ARMValue) -> Bool {
                    values.contains { $0 == v || ($0.stringValue != nil && $0.stringValue?.lowercased() == v.stringValue?.lowercased()) }
                }
                if case .array(let items) = value { ok = items.allSatisfy(allowedMatch) } else { ok = allowedMatch(value) }
                if !ok {
                    report(.error, "arm.parameter-not-allowed",
                           "parameter '\(name)' is \(ARMText.compactJSON(value)), which is not one of the allowed values \(ARMText.compactJSON(.array(values)))",
                           fix: "use one of the allowed values", at: decl, at)
                }
            }
            if case .int(let i) = value {
                if let min = decl["minValue"]?.value.intValue, i < min {
                    report(.error, "arm.parameter-range", "parameter '\(name)' is \(i), below its minValue \(min)", at: decl, at)
                }
                if let max = decl["maxValue"]?.value.intValue, i > max {
                    report(.error, "arm.parameter-range", "parameter '\(name)' is \(i), above its maxValue \(max)", at: decl, at)
                }
            }
            let length: Int? = switch value {
            case .string(let s): s.count
            case .array(let a): a.count
            default: nil
            }
            if let length {
                if let min = decl["minLength"]?.value.intValue, length < min {
                    report(.error, "arm.parameter-length", "parameter '\(name)' has length \(length), below its minLength \(min)", at: decl, at)
                }
                if let max = decl["maxLength"]?.value.intValue, length > max {
                    report(.error, "arm.parameter-length", "parameter '\(name)' has length \(length), above its maxLength \(max)", at: decl, at)
                }
            }
        }
    }

    // MARK: Variables

    func variable(_ name: String) throws -> ARMValue {
        if let parent = expressionParent { return try parent.variable(name) }
        let key = name.lowercased()
        if let v = variableCache[key] { return v }
        if variablesInProgress.contains(key) {
            throw ARMEvalError("variable '\(name)' refers to itself: \((variablesInProgress + [key]).joined(separator: " → "))",
                               code: "arm.recursive-variable", fix: "break the cycle between these variables")
        }
        variablesInProgress.append(key)
        defer { variablesInProgress.removeLast() }
        let value: ARMValue
        if let node = variableNodes[key] {
            value = try measured(try evalNode(node, "variables.\(name)"), node, "variables.\(name)", limit: limits.maxValueBytes)
        } else if let loop = variableCopies[key] {
            value = try measured(try evalCopyArray(loop, "variables.copy[\(name)]"), loop, "variables.copy[\(name)]", limit: limits.maxValueBytes)
        } else {
            throw ARMEvalError("variable '\(name)' is not declared", code: "arm.unknown-variable",
                               fix: "declared variables: \((Array(variableNodes.keys) + Array(variableCopies.keys)).sorted().joined(separator: ", "))")
        }
        variableCache[key] = value
        return value
    }

    /// Charges a value built from template JSON against the work budget and rejects it past `limit` bytes, located
    /// at `node`: values doubled through variables or objects never pass through a function call.
    func measured(_ value: ARMValue, _ node: JSONNode, _ jsonPath: String, limit: Int, what: String = "value") throws -> ARMValue {
        switch value {
        case .array, .object, .string: break
        default: return value
        }
        guard let size = value.jsonSize(limit: limit) else {
            throw LocatedError(message: "this \(what) is larger than \(limit / (1024 * 1024)) MB, more than Azure accepts", code: "arm.value-too-large",
                               node: node, path: jsonPath, column: nil,
                               fix: "Azure limits a template to 4 MB and each resource definition to 1 MB; build smaller values",
                               expression: "")
        }
        do { try spend(size / 16) } catch let error as ARMEvalError {
            throw LocatedError(message: error.message, code: error.code, node: node, path: jsonPath, column: nil, fix: error.fix, expression: "")
        }
        return value
    }

    /// Counts `count` more resources against Palisade's whole-expansion bound before they are evaluated, so copies
    /// of nested copies stop at the first deployment that would exceed it. (Azure's 800 per deployment is reported
    /// after the deployment is expanded, so every resource over the limit is still shown.)
    func reserveResources(_ count: Int64) throws {
        guard Int64(sink.totalResources) + count <= Int64(limits.maxTotalResources) else {
            sink.stopped = true
            throw ARMEvalError("the expansion would hold more than \(limits.maxTotalResources) resources across its nested deployments",
                               code: "arm.resource-limit", fix: "reduce copy loops over nested deployments")
        }
        sink.totalResources += Int(count)
    }

    // MARK: Copy

    func copyIndex(_ loop: String?) throws -> Int64 {
        if let loop {
            guard let entry = copyStack.last(where: { $0.name?.lowercased() == loop.lowercased() }) else {
                throw ARMEvalError("copyIndex('\(loop)') is used outside a copy loop named '\(loop)'", code: "arm.copy-index")
            }
            return entry.index
        }
        let resourceLoop = copyStack.indices.last { !valueLoopPositions.contains($0) }.map { copyStack[$0] }
        guard let entry = resourceLoop ?? copyStack.last else {
            if let parent = expressionParent { return try parent.copyIndex(nil) }
            throw ARMEvalError("copyIndex() is used outside a copy loop", code: "arm.copy-index")
        }
        return entry.index
    }

    func copyCount(_ node: JSONNode?, _ jsonPath: String) throws -> Int64 {
        guard let node else { throw ARMEvalError("copy loop has no 'count'", code: "arm.copy") }
        let v = try evalNode(node, jsonPath + ".count")
        guard case .int(let n) = v else {
            if v.isUnknown { throw ARMEvalError("copy count is only known at deployment time (\(ARMText.string(v)))", code: "arm.copy-unknown") }
            throw ARMEvalError("copy count must be an int, got \(v.typeName)", code: "arm.copy")
        }
        guard n >= 0, n <= options.maxCopyCount else {
            throw ARMEvalError("copy count \(n) is outside Azure's limit of 0…\(options.maxCopyCount)", code: "arm.copy-limit",
                               fix: "split the loop or reduce the count")
        }
        return n
    }

    /// A `{name, count, input}` loop that builds an array.
    func evalCopyArray(_ loop: JSONNode, _ jsonPath: String) throws -> ARMValue {
        let name = loop["name"]?.stringValue
        let count = try copyCount(loop["count"], jsonPath)
        guard let input = loop["input"] else { throw ARMEvalError("copy loop has no 'input'", code: "arm.copy") }
        var out: [ARMValue] = []
        let position = copyStack.count
        valueLoopPositions.insert(position)
        defer { valueLoopPositions.remove(position) }
        for i in 0..<count {
            copyStack.append((name, i))
            defer { copyStack.removeLast() }
            out.append(try evalNode(input, jsonPath + ".input"))
        }
        return .array(out)
    }

    // MARK: Functions

    func userFunction(_ name: String, _ args: [ARMValue]) throws -> ARMValue? {
        if let parent = expressionParent { return try parent.userFunction(name, args) }
        guard let fn = functions[name.lowercased()] else { return nil }
        let params = fn["parameters"]?.elements ?? []
        guard params.count == args.count else {
            throw ARMEvalError("function '\(name)' takes \(params.count) arguments, got \(args.count)", code: "arm.arity")
        }
        guard let output = fn["output"]?["value"] else { throw ARMEvalError("function '\(name)' has no output value", code: "arm.function") }
        let host = FunctionScope(outer: self, parameters: Dictionary(zip(params.map { ($0["name"]?.stringValue ?? "").lowercased() }, args),
                                                                    uniquingKeysWith: { a, _ in a }))
        return try host.evaluate(output, "functions.\(name)")
    }

    // MARK: Deployment

    func nextNewGuid() -> String {
        sink.newGuidCount += 1
        return ARMHash.guid(["palisade-newGuid", deployment.deploymentName, String(sink.newGuidCount)])
    }

    var limits: EvaluationLimits { options.limits }

    func spend(_ units: Int) throws {
        sink.budget -= units
        if sink.budget < 0 {
            sink.stopped = true
            throw ARMEvalError("the template needs more than \(options.maxEvaluationSteps) evaluation steps; stopped to avoid hanging",
                               code: "arm.evaluation-budget", fix: "reduce nested loops over large ranges")
        }
    }

    func deploymentObject() -> ARMValue {
        .object(ARMObject([
            ("name", .string(deployment.deploymentName)),
            ("properties", .object(ARMObject([
                ("templateHash", .string(ARMHash.uniqueString([deployment.deploymentName]))),
                ("template", .object(ARMObject([("contentVersion", template["contentVersion"]?.value ?? .string("1.0.0.0"))]))),
                ("parameters", .object(ARMObject())), ("mode", .string("Incremental")),
                ("provisioningState", .string("Accepted")),
            ]))),
            ("location", .string(deployment.location)),
            // Anything else (e.g. properties.templateLink of a linked deployment) is only known to Azure.
            (ARMObject.runtimeKey, .unknown("deployment()")),
        ]))
    }

    func reference(_ target: ARMValue, full: Bool) throws -> ARMValue {
        guard case .string(let raw) = target else { return .unknown("reference(\(ARMText.string(target)))") }
        let key = raw.lowercased()
        var found = referenceable[key]
        if found == nil, let last = key.split(separator: "/").last {
            // `reference('name')` and `reference(resourceId(...))` both work; match the ID's tail against names too.
            let candidates = referenceable.filter { $0.key.hasPrefix("/") && $0.key.hasSuffix("/" + last) && key.hasSuffix($0.key.split(separator: "/").suffix(2).joined(separator: "/")) }
            found = candidates.sorted { $0.key < $1.key }.first?.value
        }
        if found == nil, key.hasPrefix("/") { found = sink.resourcesByID[key] }
        if let resource = found {
            if full { return resource }
            var props = resource["properties"]?.objectValue ?? ARMObject()
            props[ARMObject.runtimeKey] = resource[ARMObject.runtimeKey] ?? .unknown(raw)
            return .object(props)
        }
        if deferralAllowed && declaresResource(matching: key) { throw DeferredReference(target: raw) }
        return .unknown("reference('\(raw)')")
    }

    /// Names of resources declared but not yet evaluated; filled by the resource pass.
    var pendingNames: Set<String> = []

    func declaresResource(matching key: String) -> Bool {
        if pendingNames.contains(key) { return true }
        let tail = key.split(separator: "/").suffix(1).joined()
        return pendingNames.contains { $0.split(separator: "/").last.map(String.init) == tail }
    }

    // MARK: Node evaluation

    func evalNode(_ node: JSONNode, _ jsonPath: String) throws -> ARMValue {
        switch node.kind {
        case .string(let s):
            return try evalString(s, node, jsonPath)
        case .array(let items):
            return .array(try items.enumerated().map { try evalNode($0.element, "\(jsonPath)[\($0.offset)]") })
        case .object(let members):
            var o = ARMObject()
            for m in members {
                if m.key.lowercased() == "copy", case .array(let loops) = m.value.kind,
                   loops.allSatisfy({ $0["name"] != nil && $0["input"] != nil }) {
                    for loop in loops {
                        let name = loop["name"]?.stringValue ?? "copy"
                        o[name] = try evalCopyArray(loop, "\(jsonPath).copy[\(name)]")
                    }
                    continue
                }
                // A property name may itself be an expression, which Azure evaluates (the Bicep compiler emits
                // `"[format('hidden-link:{0}', …)]"` for computed tag names); `[[` escapes a literal bracket.
                var key = m.key
                if key.hasPrefix("["), key.hasSuffix("]") {
                    let evaluated = try evalString(key, m.value, jsonPath.isEmpty ? key : "\(jsonPath).\(key)")
                    guard case .string(let name) = evaluated else {
                        throw ARMEvalError("the property name \(key) must evaluate to a string", code: "arm.property-name")
                    }
                    key = name
                }
                o[key] = try evalNode(m.value, jsonPath.isEmpty ? key : "\(jsonPath).\(key)")
            }
            return .object(o)
        default:
            return node.value
        }
    }

    func evalString(_ s: String, _ node: JSONNode, _ jsonPath: String) throws -> ARMValue {
        guard s.hasPrefix("["), s.hasSuffix("]") else { return .string(s) }
        let parsed: ExpressionParser.Parsed
        if let cached = sink.expressionCache[s] {
            parsed = cached
        } else {
            do {
                parsed = try ExpressionParser.classify(s)
            } catch {
                throw LocatedError(message: "invalid expression: \(error.message)", code: "arm.syntax", node: node, path: jsonPath,
                                   column: error.column, fix: "check quotes and parentheses", expression: s)
            }
            sink.expressionCache[s] = parsed
        }
        switch parsed {
        case .literal(let text): return .string(text)
        case .expression(let e):
            do {
                return try ExpressionEvaluator(host: self).evaluate(e)
            } catch let error as ARMEvalError {
                throw LocatedError(message: error.message, code: error.code, node: node, path: jsonPath,
                                   column: error.offset.map { $0 + 2 }, fix: error.fix, expression: s)
            }
        }
    }
}

/// An evaluation error pinned to a template location.
struct LocatedError: Error {
    var message: String
    var code: String
    var node: JSONNode
    var path: String
    var column: Int?
    var fix: String?
    var expression: String
}

/// The scope of a user-defined function body: only its own parameters.
final class FunctionScope: EvaluationHost {
    let outer: TemplateScope
    let parameters: [String: ARMValue]
    var deployment: DeploymentContext { outer.deployment }

    init(outer: TemplateScope, parameters: [String: ARMValue]) {
        self.outer = outer
        self.parameters = parameters
    }

    func evaluate(_ node: JSONNode, _ path: String) throws -> ARMValue {
        guard case .string(let s) = node.kind, case .expression(let e) = try ExpressionParser.classify(s) else { return node.value }
        return try ExpressionEvaluator(host: self).evaluate(e)
    }

    func parameter(_ name: String) throws -> ARMValue {
        guard let v = parameters[name.lowercased()] else {
            throw ARMEvalError("user function has no parameter '\(name)'", code: "arm.unknown-parameter")
        }
        return v
    }
    func variable(_ name: String) throws -> ARMValue {
        throw ARMEvalError("user-defined functions cannot read variables ('\(name)')", code: "arm.function")
    }
    func copyIndex(_ loop: String?) throws -> Int64 { throw ARMEvalError("copyIndex() cannot be used in a user function", code: "arm.function") }
    func reference(_ target: ARMValue, full: Bool) throws -> ARMValue {
        throw ARMEvalError("reference() cannot be used in a user function", code: "arm.function")
    }
    func userFunction(_ name: String, _ args: [ARMValue]) throws -> ARMValue? {
        // Azure forbids this, and it is what would make recursion possible.
        throw ARMEvalError("user-defined function calls '\(name)'; user-defined functions cannot call other user-defined functions",
                           code: "arm.function")
    }
    func deploymentObject() -> ARMValue { outer.deploymentObject() }
    var limits: EvaluationLimits { outer.limits }
    func spend(_ units: Int) throws { try outer.spend(units) }
    func nextNewGuid() -> String { outer.nextNewGuid() }
}
