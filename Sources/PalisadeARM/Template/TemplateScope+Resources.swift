import Foundation
import PalisadeModel

/// A resource declaration waiting to be evaluated, possibly as a child of an evaluated parent instance.
struct ResourceDeclaration {
    var symbolicName: String?
    var node: JSONNode
    var path: String
    var parentType: String?
    var parentName: String?
    /// Copy-loop positions of the parent instance, kept so children can use the parent's `copyIndex()`.
    var copyContext: [(name: String?, index: Int64)] = []
}

/// One resource of a deployment as the `dependsOn` graph sees it.
struct DependencyNode {
    var id: String
    var name: String
    var type: String
    var symbolicName: String?
    var loop: String?
    var dependsOn: [String]
    var node: JSONNode
    var path: String
}

/// The template language versions Azure Resource Manager accepts (Bicep emits `2.0`, and the experimental ones for
/// preview features); https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax#template-format
let knownLanguageVersions: Set<String> = ["1.9-experimental", "1.10-experimental", "2.0", "2.1-experimental", "2.2-experimental"]

extension TemplateScope {
    /// Evaluates resources, nested deployments and outputs.
    func run() {
        guard template.members != nil else {
            report(.error, "arm.template-shape", "a template must be a JSON object with 'resources'", at: template, "")
            return
        }
        if let version = template["languageVersion"] {
            guard let text = version.stringValue, knownLanguageVersions.contains(text.lowercased()) else {
                report(.error, "arm.language-version",
                       "languageVersion \(ARMText.compactJSON(version.value)) is not one Azure Resource Manager knows",
                       fix: "use \"2.0\" (symbolic resource names) or remove it", at: version, "languageVersion")
                return
            }
        }

        validateParameters()
        var queue: [ResourceDeclaration] = []
        switch template["resources"]?.kind {
        case .array(let items)?:
            for (i, node) in items.enumerated() { queue.append(ResourceDeclaration(symbolicName: nil, node: node, path: "resources[\(i)]")) }
        case .object(let members)?:
            for m in members { queue.append(ResourceDeclaration(symbolicName: m.key, node: m.value, path: "resources.\(m.key)")) }
        case nil: break
        case let other?:
            report(.error, "arm.template-shape", "'resources' must be an array, or an object keyed by symbolic name (languageVersion 2.0)",
                   at: JSONNode(kind: other, line: template["resources"]?.line ?? 0, column: template["resources"]?.column ?? 0), "resources")
        }
        for decl in queue { pendingNames.formUnion(candidateNames(decl)) }
        // Evaluate in order; a resource whose reference() target is still pending is retried after the others.
        var allowDeferral = true
        while !queue.isEmpty {
            var deferred: [ResourceDeclaration] = []
            var progressed = false
            deferralAllowed = allowDeferral
            var index = 0
            while index < queue.count {
                let decl = queue[index]
                index += 1
                do {
                    let children = try evaluateDeclaration(decl, allowDeferral: allowDeferral)
                    progressed = true
                    pendingNames.subtract(candidateNames(decl))
                    for child in children { pendingNames.formUnion(candidateNames(child)) }
                    queue.insert(contentsOf: children, at: index)
                } catch is DeferredReference {
                    deferred.append(decl)
                } catch {
                    progressed = true
                }
            }
            queue = deferred
            if !allowDeferral { break }  // the last pass resolves everything; never loop again
            if !progressed { allowDeferral = false }
        }
        if ownResourceCount > limits.maxResources {
            report(.error, "arm.resource-limit", "the deployment declares \(ownResourceCount) resources (copies included); Azure allows \(limits.maxResources)",
                   fix: "split it into nested deployments", at: template["resources"] ?? template, "resources")
        }
        deferralAllowed = false
        checkDependencyCycles()
        evaluateAsserts()
        evaluateOutputs()
    }

    /// Azure rejects a deployment whose `dependsOn` entries form a cycle ("Circular dependency detected");
    /// https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-invalid-template#solution-3---circular-dependency-detected
    func checkDependencyCycles() {
        let nodes = dependencyNodes
        guard nodes.contains(where: { !$0.dependsOn.isEmpty }) else { return }
        var byKey: [String: [Int]] = [:]
        for (i, n) in nodes.enumerated() {
            var keys: Set<String> = [n.id.lowercased(), n.name.lowercased(), "\(n.type)/\(n.name)".lowercased()]
            if let s = n.symbolicName { keys.insert(s.lowercased()) }
            if let loop = n.loop { keys.insert(loop.lowercased()) }
            // `type/name` written for a child: Microsoft.Network/virtualNetworks/subnets/vnet/default.
            if let providers = n.id.range(of: "/providers/", options: [.caseInsensitive, .backwards]) {
                keys.insert(String(n.id[providers.upperBound...]).lowercased())
            }
            for k in keys { byKey[k, default: []].append(i) }
        }
        let edges: [[Int]] = nodes.enumerated().map { i, n in
            // An ambiguous plain name (a VNet and an NSG both called "hub") never makes a resource depend on itself.
            Array(Set(n.dependsOn.flatMap { entry -> [Int] in
                let matches = byKey[entry.lowercased()] ?? []
                return matches.count > 1 ? matches.filter { $0 != i } : matches
            })).sorted()
        }
        // Iterative depth-first search: 0 unvisited, 1 on the stack, 2 done.
        var state = [UInt8](repeating: 0, count: nodes.count)
        for start in nodes.indices where state[start] == 0 {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last {
                if top.next < edges[top.node].count {
                    stack[stack.count - 1].next += 1
                    let target = edges[top.node][top.next]
                    if state[target] == 1 {
                        let members = stack.map(\.node)
                        let cycle = members[(members.firstIndex(of: target) ?? 0)...].map { nodes[$0].name } + [nodes[target].name]
                        let first = nodes[target]
                        report(.error, "arm.dependency-cycle", "dependsOn forms a cycle: \(cycle.joined(separator: " → "))",
                               fix: "remove one of these dependencies; Azure rejects circular dependencies", at: first.node["dependsOn"] ?? first.node,
                               first.path + ".dependsOn")
                        return
                    }
                    if state[target] == 0 {
                        state[target] = 1
                        stack.append((target, 0))
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
    }

    func candidateNames(_ decl: ResourceDeclaration) -> Set<String> {
        var names: Set<String> = []
        if let s = decl.symbolicName { names.insert(s.lowercased()) }
        if let nameNode = decl.node["name"] {
            copyStack.append((decl.node["copy"]?["name"]?.stringValue, 0))
            defer { copyStack.removeLast() }
            if case .string(let n)? = try? evalNode(nameNode, decl.path + ".name") {
                let full = decl.parentName.map { n.hasPrefix($0 + "/") ? n : "\($0)/\(n)" } ?? n
                names.insert(full.lowercased())
            }
        }
        return names
    }

    /// Evaluates one declaration (all copies); returns child declarations to evaluate next.
    func evaluateDeclaration(_ decl: ResourceDeclaration, allowDeferral: Bool) throws -> [ResourceDeclaration] {
        if sink.stopped { return [] }
        let node = decl.node
        guard node.members != nil, node["type"]?.stringValue != nil, node["name"] != nil else {
            report(.error, "arm.resource-shape", "a resource must be an object with a string 'type' and a 'name'",
                   fix: "add the missing 'type' or 'name'", at: node, decl.path)
            return []
        }
        let saved = copyStack
        copyStack = decl.copyContext
        defer { copyStack = saved }
        do {
            // In a copy loop the condition is evaluated per instance and may use copyIndex() (a filtered Bicep loop
            // compiles to exactly that). https://learn.microsoft.com/azure/azure-resource-manager/bicep/loops#loop-with-condition
            func included() throws -> Bool {
                guard let condition = node["condition"] else { return true }
                let c = try evalNode(condition, decl.path + ".condition")
                if c == .bool(false) { return false }
                if c.isUnknown {
                    report(.warning, "arm.condition-unknown", "the condition is only known at deployment time; the resource is kept",
                           at: condition, decl.path + ".condition")
                }
                return true
            }
            var instances: [(body: ARMObject, template: JSONNode?, copy: [(name: String?, index: Int64)])] = []
            if let copy = node["copy"], copy.members != nil {
                // A condition false for the whole loop skips it before its count is evaluated.
                if let condition = node["condition"], (try? evalNode(condition, decl.path + ".condition")) == .bool(false) { return [] }
                let loopName = copy["name"]?.stringValue
                let count = try copyCount(copy["count"], decl.path + ".copy")
                try reserveResources(count)
                for i in 0..<count {
                    copyStack.append((loopName, i))
                    defer { copyStack.removeLast() }
                    guard try included() else { continue }
                    instances.append((try evaluateBody(decl), node["properties"]?["template"], copyStack))
                }
            } else {
                guard try included() else { return [] }
                try reserveResources(1)
                instances.append((try evaluateBody(decl), node["properties"]?["template"], copyStack))
            }
            _ = allowDeferral
            var children: [ResourceDeclaration] = []
            for instance in instances {
                copyStack = instance.copy
                let (type, name) = commit(instance.body, decl: decl, templateNode: instance.template)
                for (i, child) in (node["resources"]?.elements ?? []).enumerated() {
                    children.append(ResourceDeclaration(symbolicName: nil, node: child, path: "\(decl.path).resources[\(i)]",
                                                        parentType: type, parentName: name, copyContext: instance.copy))
                }
            }
            return children
        } catch let deferred as DeferredReference {
            if allowDeferral { throw deferred }
            report(.warning, "arm.reference-order", "reference to '\(deferred.target)' could not be resolved", at: node, decl.path)
            throw deferred
        } catch let error as LocatedError {
            report(located: error)
            throw error
        } catch let error as ARMEvalError {
            // A count only Azure knows is not the template's fault: warn and leave the loop unexpanded.
            let severity: Diagnostic.Severity = error.code == "arm.copy-unknown" ? .warning : .error
            let message = error.code == "arm.copy-unknown" ? error.message + "; the loop's resources are not expanded" : error.message
            report(severity, error.code, message, fix: error.fix, at: node["copy"] ?? node, decl.path + (node["copy"] != nil ? ".copy" : ""))
            throw error
        } catch {
            report(.error, "arm.evaluation", "\(error)", at: node, decl.path)
            throw error
        }
    }

    /// Evaluates the resource object except loop/condition keys, children and an inline nested template.
    func evaluateBody(_ decl: ResourceDeclaration) throws -> ARMObject {
        var body = ARMObject()
        let isDeployment = (decl.node["type"]?.stringValue ?? "").lowercased() == "microsoft.resources/deployments"
        for m in decl.node.members ?? [] {
            let key = m.key.lowercased()
            if ["resources", "copy", "condition"].contains(key) { continue }
            let path = "\(decl.path).\(m.key)"
            if isDeployment && key == "properties", let members = m.value.members {
                var props = ARMObject()
                for p in members {
                    if p.key.lowercased() == "template" { continue }
                    props[p.key] = try evalNode(p.value, "\(path).\(p.key)")
                }
                body[m.key] = .object(props)
                continue
            }
            body[m.key] = try evalNode(m.value, path)
        }
        // Azure: each resource definition, expanded, can't exceed 1 MB.
        // https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits
        _ = try measured(.object(body), decl.node, decl.path, limit: limits.maxResourceBytes, what: "resource definition")
        return body
    }

    /// Records an evaluated instance (and expands it if it is an inline nested deployment); returns its type and name.
    @discardableResult
    func commit(_ evaluated: ARMObject, decl: ResourceDeclaration, templateNode: JSONNode?) -> (String, String) {
        var body = evaluated
        var type = body["type"]?.stringValue ?? ""
        var name = body["name"].map { ARMText.string($0) } ?? ""
        if body["name"]?.isUnknown == true {
            report(.warning, "arm.name-unknown", "the resource name is only known at deployment time (\(name))", at: decl.node, decl.path + ".name")
        }
        if let parentType = decl.parentType, let parentName = decl.parentName {
            if !type.contains("/") || !(type.split(separator: "/").first?.contains(".") ?? false) {
                type = parentType + "/" + type
            }
            // A nested resource of another provider's type (a Log Analytics solution under its workspace) is not a
            // child: only names of child types get the parent's name in front.
            if type.lowercased().hasPrefix(parentType.lowercased() + "/"), !name.lowercased().hasPrefix(parentName.lowercased() + "/") {
                name = parentName + "/" + name
            }
            body["type"] = .string(type)
            body["name"] = .string(name)
        }
        // Azure: "A nested resource type must have identical number of segments as its resource name"
        // (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-invalid-name-segments).
        let typeSegments = type.split(separator: "/", omittingEmptySubsequences: false).count - 1
        let nameSegments = name.split(separator: "/", omittingEmptySubsequences: false).count
        if body["name"]?.isUnknown != true, type.range(of: "/providers/", options: .caseInsensitive) == nil,
           typeSegments >= 1, nameSegments != typeSegments {
            report(.error, "arm.name-segments",
                   "resource '\(name)' of type '\(type)' has \(nameSegments) name segment\(nameSegments == 1 ? "" : "s"); the type needs \(typeSegments)",
                   fix: "name a child resource 'parent/child' (one segment per type segment after the namespace)",
                   at: decl.node["name"] ?? decl.node, decl.path + ".name")
            return (type, name)
        }
        let existing = body["existing"] == .bool(true)
        let id = resourceID(type: type, name: name, scope: body["scope"])
        let source = SourceLocation(file: file, line: decl.node.line, column: decl.node.column, path: decl.path)
        let dependsOn = (body["dependsOn"]?.arrayValue ?? []).map { ARMText.string($0) }
        if !existing {
            // Azure rejects a template that defines the same resource twice; the last one must not silently win.
            if let first = ownDeclarations[id.lowercased()] {
                report(.error, "arm.duplicate-resource",
                       "\(type) '\(name)' is declared twice in this deployment (first at \(first.file):\(first.line ?? 0)); Azure rejects the template",
                       fix: "give each resource a unique name, or remove the duplicate", at: decl.node, decl.path + ".name")
            } else {
                ownDeclarations[id.lowercased()] = source
            }
            dependencyNodes.append(DependencyNode(id: id, name: name, type: type, symbolicName: decl.symbolicName,
                                                  loop: decl.node["copy"]?["name"]?.stringValue, dependsOn: dependsOn,
                                                  node: decl.node, path: decl.path))
        }
        var full = body
        full["id"] = .string(id)
        full[ARMObject.runtimeKey] = .unknown(id)
        if type.lowercased() == "microsoft.network/azurefirewalls" {
            full["properties"] = .object(derivedFirewallAddresses(full["properties"]?.objectValue ?? ARMObject()))
        }
        if type.lowercased() == "microsoft.network/privateendpoints" {
            // Read-only property Azure adds: the endpoint's network interface (named after customNetworkInterfaceName if set).
            var props = full["properties"]?.objectValue ?? ARMObject()
            let nicName = props["customNetworkInterfaceName"]?.stringValue
            let nicID: ARMValue = nicName.map { .string("\(deployment.resourceGroupID)/providers/Microsoft.Network/networkInterfaces/\($0)") }
                ?? .unknown("\(id)#networkInterfaces")
            props["networkInterfaces"] = .array([.object(ARMObject([("id", nicID)]))])
            full["properties"] = .object(props)
        }
        var resource = ExpandedResource(symbolicName: decl.symbolicName, type: type, name: name, id: id, body: .object(body),
                                        source: source, dependsOn: dependsOn, existing: existing, deploymentPath: path)
        resource.elementLines = TemplateScope.elementLines(decl.node["properties"], path: "properties", depth: 0)
        resource.elementColumns = TemplateScope.elementLines(decl.node["properties"], path: "properties", depth: 0, column: true)
        if options.recordPropertySources, type.lowercased() != "microsoft.resources/deployments" {
            resource.propertySources = propertySources(decl.node, path: decl.path)
        }
        let position = expanded.count
        expanded.append(resource)
        ownResourceCount += 1
        if type.lowercased() == "microsoft.resources/deployments" {
            let outputs = expandNested(body, name: name, templateNode: templateNode, node: decl.node, path: decl.path)
            var props = full["properties"]?.objectValue ?? ARMObject()
            props["outputs"] = outputs
            props["provisioningState"] = .string("Succeeded")
            full["properties"] = .object(props)
            resource.body = .object(body)
            expanded[position] = resource
        }
        let value = ARMValue.object(full)
        if let s = decl.symbolicName { referenceable[s.lowercased()] = value }
        referenceable[name.lowercased()] = value
        referenceable[id.lowercased()] = value
        sink.resourcesByID[id.lowercased()] = value
        return (type, name)
    }

    /// Lines of literal array elements under `node`, two levels deep (enough for subnets, rules, routes, configs).
    static func elementLines(_ node: JSONNode?, path: String, depth: Int, column: Bool = false) -> [String: Int] {
        guard let node, depth < 3 else { return [:] }
        var out: [String: Int] = [:]
        for m in node.members ?? [] {
            guard let items = m.value.elements else {
                if m.value.members != nil {
                    out.merge(elementLines(m.value, path: "\(path).\(m.key)", depth: depth + 1, column: column)) { a, _ in a }
                }
                continue
            }
            for (i, item) in items.enumerated() where item.line > 0 {
                out["\(path).\(m.key)[\(i)]"] = column ? (item.column > 0 ? item.column : nil) : item.line
            }
        }
        return out
    }

    /// Azure gives a firewall the first usable address of AzureFirewallSubnet (network + 4); `reference()` shows it.
    func derivedFirewallAddresses(_ properties: ARMObject) -> ARMObject {
        var props = properties
        guard var configs = props["ipConfigurations"]?.arrayValue else { return props }
        for (i, config) in configs.enumerated() {
            guard var c = config.objectValue, var cp = c["properties"]?.objectValue, cp["privateIPAddress"] == nil,
                  let subnetID = cp["subnet"]?["id"]?.stringValue, let prefix = subnetPrefix(subnetID),
                  let parsed = IPv4Prefix.parse(prefix) else { continue }
            cp["privateIPAddress"] = .string(parsed.prefix.firstAzureUsable.description)
            c["properties"] = .object(cp)
            configs[i] = .object(c)
        }
        props["ipConfigurations"] = .array(configs)
        return props
    }

    /// The first address prefix of a subnet declared in this template (as a child resource or inline in its VNet).
    func subnetPrefix(_ subnetID: String) -> String? {
        func first(_ p: ARMValue?) -> String? { p?["addressPrefix"]?.stringValue ?? p?["addressPrefixes"]?.arrayValue?.first?.stringValue }
        if let subnet = referenceable[subnetID.lowercased()], let prefix = first(subnet["properties"]) { return prefix }
        let id = ResourceID(subnetID)
        guard let vnetID = id.parent, let vnet = referenceable[vnetID.rawValue.lowercased()] else { return nil }
        let match = vnet["properties"]?["subnets"]?.arrayValue?.first { $0["name"]?.stringValue?.lowercased() == id.name.lowercased() }
        return first(match?["properties"])
    }

    /// The ID a resource gets in this deployment's scope (extension resources use their `scope`).
    func resourceID(type: String, name: String, scope: ARMValue?) -> String {
        var typeText = type
        var nameText = name
        var prefix = deployment.resourceGroupID
        if let scopeText = scope?.stringValue, !scopeText.isEmpty {
            prefix = scopeText.hasPrefix("/") ? scopeText : "\(deployment.resourceGroupID)/providers/\(scopeText)"
        } else if type.lowercased().firstRange(of: "/providers/") != nil, let r = type.range(of: "/providers/", options: .caseInsensitive) {
            // Classic extension form: type `Ns/parentType/providers/ExtNs/extType`, name `parent/ExtNs/extName`.
            let parentType = String(type[..<r.lowerBound])
            let extType = String(type[r.upperBound...])
            let parentSegments = parentType.split(separator: "/").count - 1
            let nameParts = name.split(separator: "/").map(String.init)
            if nameParts.count > parentSegments {
                let parentName = nameParts.prefix(parentSegments).joined(separator: "/")
                prefix = resourceID(type: parentType, name: parentName, scope: nil) + "/providers"
                typeText = extType
                nameText = nameParts.dropFirst(parentSegments + 1).joined(separator: "/")
                let ns = extType.split(separator: "/").first.map(String.init) ?? ""
                let typeSegs = extType.split(separator: "/").dropFirst().map(String.init)
                let names = nameText.split(separator: "/").map(String.init)
                var id = prefix + "/" + ns
                for (t, n) in zip(typeSegs, names) { id += "/\(t)/\(n)" }
                return id
            }
        }
        let segments = typeText.split(separator: "/").map(String.init)
        guard let namespace = segments.first else { return "\(prefix)/providers/\(nameText)" }
        let names = nameText.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var id = "\(prefix)/providers/\(namespace)"
        for (i, t) in segments.dropFirst().enumerated() { id += "/\(t)/\(i < names.count ? names[i] : "")" }
        return id
    }

    /// Expands an inline nested deployment; returns its outputs in ARM's `{name: {type, value}}` shape.
    func expandNested(_ body: ARMObject, name: String, templateNode: JSONNode?, node: JSONNode, path jsonPath: String) -> ARMValue {
        let props = body["properties"]?.objectValue ?? ARMObject()
        if let link = props["templateLink"] {
            let uri = link["uri"]?.stringValue ?? link["id"]?.stringValue ?? link["relativePath"]?.stringValue ?? "?"
            report(.warning, "arm.linked-template", "linked template '\(uri)' of deployment '\(name)' is not expanded; its resources are not imported",
                   fix: "inline the template or import it separately", at: node["properties"]?["templateLink"] ?? node,
                   jsonPath + ".properties.templateLink")
            return .unknown("outputs of linked deployment \(name)")
        }
        guard let templateNode else { return .object(ARMObject()) }
        guard depth + 1 <= options.maxDeploymentDepth else {
            report(.error, "arm.nesting-limit", "nested deployments are deeper than \(options.maxDeploymentDepth) levels", at: node, jsonPath)
            return .unknown("outputs of \(name)")
        }
        var context = deployment
        context.deploymentName = name
        if let rg = props["resourceGroup"]?.stringValue ?? body["resourceGroup"]?.stringValue { context.resourceGroup = rg }
        if let sub = props["subscriptionId"]?.stringValue ?? body["subscriptionId"]?.stringValue { context.subscriptionID = sub }
        let inner = (props["expressionEvaluationOptions"]?["scope"]?.stringValue ?? "outer").lowercased() == "inner"
        let child = TemplateScope(template: templateNode, file: file, deployment: context, options: options, sink: sink,
                                  depth: depth + 1, path: path + [name])
        if inner {
            var supplied: [String: ARMValue] = [:]
            for e in (props["parameters"]?.objectValue ?? ARMObject()).entries {
                if let v = e.value["value"] {
                    supplied[e.key] = v
                } else if let ref = e.value["reference"] {
                    supplied[e.key] = .secret(.keyVaultSecret(vault: ResourceID(ref["keyVault"]?["id"]?.stringValue ?? ""),
                                                              name: ref["secretName"]?.stringValue ?? ""))
                }
            }
            child.bindParameters(supplied: supplied, overrides: [:], topLevel: false)
            if options.recordPropertySources {
                for m in node["properties"]?["parameters"]?.members ?? [] {
                    let value = m.value["value"] ?? m.value
                    child.parameterSources[m.key.lowercased()] = valueSource(value, "\(jsonPath).properties.parameters.\(m.key)")
                }
            }
        } else {
            child.expressionParent = self
            child.copyStack = copyStack
        }
        child.run()
        expanded.append(contentsOf: child.expanded)
        var outputs = ARMObject()
        let types = Dictionary((templateNode["outputs"]?.members ?? []).map { ($0.key.lowercased(), $0.value["type"]?.stringValue ?? "object") },
                               uniquingKeysWith: { a, _ in a })
        for e in child.outputs.entries {
            outputs[e.key] = .object(ARMObject([("type", .string(types[e.key.lowercased()] ?? "object")), ("value", e.value)]))
        }
        return .object(outputs)
    }

    /// Reports an expression error at its file position: the string's column plus the column inside the expression.
    func report(located error: LocatedError) {
        var message = error.message
        var column: Int? = nil
        if let c = error.column {
            message += " (column \(c) of expression \(error.expression.count > 80 ? String(error.expression.prefix(77)) + "..." : error.expression))"
            if error.node.column > 0 { column = error.node.column + c }
        }
        report(.error, error.code, message, fix: error.fix, at: error.node, error.path, column: column)
    }

    /// Bicep `assert` statements, which the compiler emits as `asserts` (name → boolean expression): a deployment
    /// whose assertion is false fails, so it is an error here.
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-config#enable-experimental-features
    func evaluateAsserts() {
        for m in template["asserts"]?.members ?? [] {
            let path = "asserts.\(m.key)"
            do {
                let value = try evalNode(m.value, path)
                if value == .bool(false) {
                    report(.error, "arm.assertion-failed", "the assertion '\(m.key)' is false, so the deployment fails",
                           fix: "give parameter values that satisfy the assertion, or correct the condition", at: m.value, path)
                } else if value.isUnknown {
                    continue
                } else if value != .bool(true) {
                    report(.error, "arm.assertion-type", "the assertion '\(m.key)' must be true or false, not \(ARMText.compactJSON(value))",
                           fix: "make the condition a boolean expression", at: m.value, path)
                }
            } catch let error as LocatedError {
                report(located: error)
            } catch is DeferredReference {
                continue
            } catch let error as ARMEvalError {
                report(.error, error.code, error.message, fix: error.fix, at: m.value, path)
            } catch {
                report(.error, "arm.evaluation", "\(error)", at: m.value, path)
            }
        }
    }

    func evaluateOutputs() {
        for m in template["outputs"]?.members ?? [] {
            let path = "outputs.\(m.key)"
            do {
                if let condition = m.value["condition"], try evalNode(condition, path + ".condition") == .bool(false) { continue }
                noteSecretOutput(name: m.key, declaration: m.value, path: path)
                let type = (m.value["type"]?.stringValue ?? "").lowercased()
                if type == "securestring" || type == "secureobject" {
                    outputs[m.key] = .secret(.secureParameter(name: m.key))
                    continue
                }
                if let copy = m.value["copy"] {
                    outputs[m.key] = try measured(try evalCopyArray(copy, path + ".copy"), copy, path + ".copy", limit: limits.maxValueBytes)
                } else if let value = m.value["value"] {
                    outputs[m.key] = try measured(try evalNode(value, path + ".value"), value, path + ".value", limit: limits.maxValueBytes)
                } else {
                    outputs[m.key] = .null
                }
            } catch let error as LocatedError {
                report(located: error)
            } catch let deferred as DeferredReference {
                outputs[m.key] = .unknown("reference('\(deferred.target)')")
            } catch let error as ARMEvalError {
                report(.error, error.code, error.message, fix: error.fix, at: m.value, path)
            } catch {
                report(.error, "arm.evaluation", "\(error)", at: m.value, path)
            }
        }
    }
}
