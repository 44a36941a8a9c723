import PalisadeModel

/// Renders a graph as one deployable ARM template (`azuredeploy.json`) plus its parameters file.
///
/// Names are variables built from the `name` parameter, subnets use `cidrSubnet(parameters('addressSpace'), …)`,
/// `dependsOn` follows the graph's references, and secrets come in as `securestring` parameters with no default.
struct ARMRenderer {
    let context: RenderContext
    let builder: TemplateBuilder
    let resources: [TemplateResource]
    private let byID: [ResourceID: TemplateResource]

    /// The secure parameter carrying the jumpbox administrator password.
    static let adminPasswordParameter = "adminPassword"

    init(context: RenderContext) {
        self.context = context
        builder = TemplateBuilder(context: context)
        var built = builder.resources().map { resource in
            var copy = resource
            if let node = context.graph[resource.id] {
                copy.skips = CheckovSuppressions.arm(node).map { ($0.id, $0.reason) }
            }
            return copy
        }
        Self.breakParentCycles(&built)
        resources = built
        byID = Dictionary(resources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Drops `parent` links that lead back to the resource itself (a graph built from a malformed ID), so every
    /// walk up the parent chain (names, IDs, Bicep `parent:`) ends; ARM and Bicep renderers both rely on it.
    static func breakParentCycles(_ resources: inout [TemplateResource]) {
        let parents = Dictionary(resources.map { ($0.id, $0.parent) }, uniquingKeysWith: { first, _ in first })
        for i in resources.indices {
            var seen: Set<ResourceID> = [resources[i].id]
            var current = resources[i].parent
            while let id = current {
                guard seen.insert(id).inserted else {
                    resources[i].parent = nil
                    break
                }
                current = parents[id] ?? nil
            }
        }
    }

    /// API versions per resource type (checked against the versions the azurerm provider's SDK pins, or older GA).
    static func apiVersion(_ type: ResourceType) -> String {
        switch type {
        case .privateDnsZone: "2024-06-01"
        case .machineLearningWorkspace, .machineLearningCompute: "2025-06-01"
        case .storageAccount: "2023-05-01"
        case .keyVault, .keyVaultSecret: "2023-07-01"
        case .containerRegistry: "2023-07-01"
        case .cognitiveServicesAccount: "2024-10-01"
        case .applicationInsights: "2020-02-02"
        case .logAnalyticsWorkspace: "2023-09-01"
        case .monitorPrivateLinkScope: "2021-07-01-preview"
        case .diagnosticSetting: "2021-05-01-preview"
        case .userAssignedIdentity: "2023-01-31"
        case .roleAssignment: "2022-04-01"
        case .virtualMachine: "2024-03-01"
        default: "2024-05-01"  // Microsoft.Network
        }
    }

    /// The parameter for a root certificate the spec leaves to deployment time.
    static func rootCertificateParameter(_ certificate: VpnRootCertificate) -> String {
        "vpnRootCertificate" + TemplateBuilder.camel(TerraformSymbols.sanitize(certificate.name)).capitalizedFirst
    }

    func render() -> RenderResult {
        var warnings: [String] = []
        for resource in context.graph.resources {
            if case .opaque(let opaque) = resource, !TemplateBuilder.isRenderableOpaque(opaque) {
                warnings.append("arm: \(resource.id) (\(resource.type)) is not rendered: child or unknown API version")
            }
        }
        for id in context.reusedSubnets.sorted() {
            warnings.append("arm: existing subnet '\(id.name)' is written whole (ARM sets a subnet's NSG and route table only by "
                + "updating the subnet): settings the design does not state, such as delegations, a NAT gateway or other service "
                + "endpoints, are cleared on deployment; the Terraform render changes only the properties it needs")
        }
        return RenderResult(files: [
            RenderedFile(path: "azuredeploy.json", contents: template().rendered()),
            RenderedFile(path: "azuredeploy.parameters.json", contents: parametersFile().rendered()),
        ], warnings: warnings)
    }

    // MARK: - Parameters

    /// Template parameters in order: the three variables, tags, then secure and deployment-time values.
    var parameters: [(name: String, type: String, defaultValue: OrderedJSON?, description: String)] {
        var result: [(String, String, OrderedJSON?, String)] = [
            ("name", "string", .string(context.name), "Environment name used in every resource name (e.g. vnet-<name>)."),
            ("location", "string", .string(context.location), "Azure region for every regional resource."),
        ]
        if let space = context.addressSpace {
            result.append(("addressSpace", "string", .string(space.description),
                           "Virtual network address space; subnets are carved from it with cidrSubnet()."))
        }
        let fixedTags = context.commonTags.filter { !context.isEnvironmentName($0.value) }
        let nameTags = context.commonTags.keys.filter { context.isEnvironmentName(context.commonTags[$0]!) }.sorted()
        result.append(("tags", "object", .object(fixedTags.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }),
                       nameTags.isEmpty ? "Tags on every resource."
                           : "Tags on every resource, besides \(nameTags.joined(separator: ", ")) (always the name parameter)."))
        if needsAdminPassword {
            result.append((Self.adminPasswordParameter, "securestring", nil,
                           "Jumpbox administrator password; also stored as a Key Vault secret. Supply at deployment."))
        }
        for secret in context.graph.all(KeyVaultSecret.self) {
            // Secrets sharing one secure parameter declare it once.
            if case .secureParameter(let name) = secret.value, !result.contains(where: { $0.0 == name }) {
                result.append((name, "securestring", nil, "Value of Key Vault secret \(secret.name)."))
            }
        }
        for vm in context.graph.all(VirtualMachine.self) {
            for (i, key) in (vm.sshPublicKeys ?? []).enumerated() where key.keyData == nil {
                result.append((Self.sshKeyParameter(vm, i), "string", nil, "SSH public key \(i + 1) of \(vm.name) (ssh-rsa … or ssh-ed25519 …)."))
            }
        }
        for gateway in context.graph.all(VirtualNetworkGateway.self) {
            for certificate in gateway.vpnClientConfiguration?.rootCertificates ?? [] where certificate.publicCertData == nil {
                result.append((Self.rootCertificateParameter(certificate), "string", nil,
                               "Base64 DER of the point-to-site root certificate '\(certificate.name)' (root.b64 from `palisade vpn-certs`)."))
            }
        }
        return result
    }

    /// The parameter holding an SSH public key only known at deployment.
    static func sshKeyParameter(_ vm: VirtualMachine, _ index: Int) -> String {
        "sshPublicKey" + TemplateBuilder.camel(TerraformSymbols.sanitize(vm.name)).capitalizedFirst + (index == 0 ? "" : String(index + 1))
    }

    var needsAdminPassword: Bool {
        context.graph.all(VirtualMachine.self).contains { !$0.usesSSHKeysOnly }
            || context.graph.all(KeyVaultSecret.self).contains { if case .secureParameter = $0.value { return false } else { return true } }
    }

    private func parametersFile() -> OrderedJSON {
        let values = parameters.compactMap { parameter -> (String, OrderedJSON)? in
            guard let value = parameter.defaultValue, parameter.name != "tags" else { return nil }
            return (parameter.name, .object([("value", value)]))
        }
        return .object([
            ("$schema", .string("https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#")),
            ("contentVersion", .string("1.0.0.0")),
            ("parameters", .object(values)),
        ])
    }

    // MARK: - Template

    private func template() -> OrderedJSON {
        let parameterObjects = parameters.map { parameter -> (String, OrderedJSON) in
            var members: [(String, OrderedJSON)] = [("type", .string(parameter.type))]
            if let value = parameter.defaultValue { members.append(("defaultValue", value)) }
            if parameter.name == "name" { members += [("minLength", .int(1)), ("maxLength", .int(16))] }
            members.append(("metadata", .object([("description", .string(parameter.description))])))
            return (parameter.name, .object(members))
        }
        let variableObjects = builder.sharedVariables.map { ($0.name, json($0.value)) } + resources.compactMap { resource -> (String, OrderedJSON)? in
            guard !resource.existing, resource.parent == nil, resource.scope == nil, case .nameOf(let id) = resource.name,
                  case .concat = builder.nameValue(id) else { return nil }
            return (variableName(id), json(builder.nameValue(id)))
        }
        return .object([
            ("$schema", .string("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#")),
            ("contentVersion", .string("1.0.0.0")),
            ("metadata", .object([("generator", .string("palisade")),
                                  ("description", .string("Network-isolated Azure Machine Learning environment."))])),
            ("parameters", .object(parameterObjects)),
            ("variables", .object(variableObjects)),
            ("resources", .array(resources.filter { !$0.existing }.map(resourceJSON))),
            ("outputs", .object(outputs())),
        ])
    }

    private func resourceJSON(_ resource: TemplateResource) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = [
            ("type", .string(resource.type)),
            ("apiVersion", .string(resource.apiVersion)),
            ("name", json(fullName(resource))),
        ]
        if let scope = resource.scope, let target = byID[scope] {
            members.append(("scope", .string("[\(scopeExpression(target))]")))
        } else if let scope = resource.scope, builder.isSubnet(scope) {
            members.append(("scope", .string("[\(resourceIDExpression(scope))]")))
        }
        for (key, value) in resource.members { members.append((key, json(value))) }
        if !resource.dependsOn.isEmpty {
            members.append(("dependsOn", .array(resource.dependsOn.map { .string("[\(resourceIDExpression($0))]") })))
        }
        if !resource.skips.isEmpty {
            members.append(("metadata", .object([("checkov", .array(resource.skips.map { .string("\($0.id):\($0.comment)") }))])))
        }
        return .object(members)
    }

    /// The full ARM name: children are `parent/child`.
    private func fullName(_ resource: TemplateResource) -> TemplateValue {
        guard let parent = resource.parent, let parentResource = byID[parent] else { return resource.name }
        let parentName = fullName(parentResource)
        // Literal names stay a literal (a child of an existing VNet).
        if case .string(let outer) = parentName, case .string(let inner) = resource.name { return .string("\(outer)/\(inner)") }
        return .concat([parentName, .string("/"), resource.name])
    }

    private func outputs() -> [(String, OrderedJSON)] {
        var result: [(String, OrderedJSON)] = []
        func add(_ name: String, _ value: TemplateValue?) {
            guard let value else { return }
            result.append((name, .object([("type", .string("string")), ("value", json(value))])))
        }
        let graph = context.graph
        add("virtualNetworkId", context.virtualNetwork.map { .idOf($0.id) })
        if let workspace = graph.all(MachineLearningWorkspace.self).first {
            add("workspaceName", .nameOf(workspace.id))
            add("workspaceId", .idOf(workspace.id))
        }
        add("storageAccountName", graph.all(StorageAccount.self).first.map { .nameOf($0.id) })
        add("keyVaultName", graph.all(KeyVault.self).first.map { .nameOf($0.id) })
        add("containerRegistryName", graph.all(ContainerRegistry.self).first.map { .nameOf($0.id) })
        if let firewall = graph.all(AzureFirewall.self).first {
            add("firewallPrivateIp", .property(firewall.id, path: "ipConfigurations[0].properties.privateIPAddress"))
        }
        add("bastionName", graph.all(BastionHost.self).first.map { .nameOf($0.id) })
        add("vpnGatewayId", graph.all(VirtualNetworkGateway.self).first.map { .idOf($0.id) })
        return result
    }

    // MARK: - Expressions

    func variableName(_ id: ResourceID) -> String { (builder.symbols[id] ?? "resource") + "Name" }

    /// A template value as JSON: literals stay literal (a leading `[` is escaped), expressions become `[…]`.
    func json(_ value: TemplateValue) -> OrderedJSON {
        switch value {
        case .string(let text): return .string(text.hasPrefix("[") ? "[" + text : text)
        case .int(let number): return .int(number)
        case .bool(let flag): return .bool(flag)
        case .array(let values): return .array(values.map(json))
        case .object(let members): return .object(members.map { ($0.0, json($0.1)) })
        case .identityMap(let ids): return .object(ids.map { ("[\(resourceIDExpression($0))]", .object([])) })
        default: return .string("[\(expression(value))]")
        }
    }

    /// The ARM expression text of a value (without brackets).
    func expression(_ value: TemplateValue) -> String {
        switch value {
        case .string(let text): return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .parameter(let name): return "parameters('\(name)')"
        case .nameOf(let id):
            if case .concat = builder.nameValue(id), byID[id]?.parent == nil, byID[id] != nil { return "variables('\(variableName(id))')" }
            return expression(builder.nameValue(id))
        case .idOf(let id), .unlinkedIDOf(let id): return resourceIDExpression(id)
        case .principalOf(let id):
            let api = Self.apiVersion(context.graph[id]?.type ?? .userAssignedIdentity)
            if context.graph.resource(id, as: UserAssignedIdentity.self) != nil {
                return "reference(\(resourceIDExpression(id)), '\(api)').principalId"
            }
            return "reference(\(resourceIDExpression(id)), '\(api)', 'full').identity.principalId"
        case .property(let id, let path):
            let api = byID[id]?.apiVersion ?? "2024-05-01"
            return "reference(\(resourceIDExpression(id)), '\(api)').\(path)"
        case .cidrSubnet(let length, let index):
            return "cidrSubnet(parameters('addressSpace'), \(length), \(index))"
        case .function(let text): return text
        case .concat(let parts):
            var format = "", arguments: [String] = []
            for part in flatten(parts) {
                if case .string(let text) = part {
                    format += text.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
                } else {
                    format += "{\(arguments.count)}"
                    arguments.append(expression(part))
                }
            }
            if arguments.isEmpty { return expression(.string(format)) }
            return "format(\(expression(.string(format))), \(arguments.joined(separator: ", ")))"
        case .array(let values): return "createArray(\(values.map(expression).joined(separator: ", ")))"
        case .object(let members):
            return "createObject(\(members.map { "'\($0.0)', \(expression($0.1))" }.joined(separator: ", ")))"
        case .identityMap(let ids): return "createObject(\(ids.map { "\(resourceIDExpression($0)), createObject()" }.joined(separator: ", ")))"
        case .variable(let name): return "variables('\(name)')"
        case .call(let function, let arguments): return "\(function)(\(arguments.map(expression).joined(separator: ", ")))"
        case .ifEquals(let left, let right, let then, let otherwise):
            return "if(equals(\(expression(left)), \(expression(right))), \(expression(then)), \(expression(otherwise)))"
        }
    }

    private func flatten(_ parts: [TemplateValue]) -> [TemplateValue] {
        var result: [TemplateValue] = []
        for part in parts {
            if case .concat(let inner) = part {
                result += flatten(inner)
            } else if case .nameOf(let id) = part, byID[id]?.parent != nil || byID[id] == nil, case .concat(let inner) = builder.nameValue(id) {
                result += flatten(inner)
            } else if case .string(let text) = part, case .string(let previous)? = result.last {
                result[result.count - 1] = .string(previous + text)
            } else {
                result.append(part)
            }
        }
        return result
    }

    /// `resourceId(...)` for a template resource, an inline subnet, or the literal ID of anything else.
    func resourceIDExpression(_ id: ResourceID) -> String {
        if builder.isSubnet(id), let subnet = context.graph.resource(id, as: Subnet.self) {
            return "resourceId('Microsoft.Network/virtualNetworks/subnets', \(expression(.nameOf(subnet.virtualNetwork))), '\(subnet.name)')"
        }
        if id == context.resourceGroup?.id { return "resourceGroup().id" }
        guard let resource = byID[id] else { return expression(builder.literalID(id.rawValue)) }
        var names: [String] = []
        var current: TemplateResource? = resource
        while let node = current {
            names.insert(expression(node.name), at: 0)
            current = node.parent.flatMap { byID[$0] }
        }
        if let scope = resource.scope, let target = byID[scope] {
            return "extensionResourceId(\(resourceIDExpression(target.id)), '\(resource.type)', \(names.joined(separator: ", ")))"
        }
        return "resourceId('\(resource.type)', \(names.joined(separator: ", ")))"
    }

    /// The relative scope form Bicep compiles to: `Namespace/type/name` (children `…/childType/childName`).
    private func scopeExpression(_ target: TemplateResource) -> String {
        var chain: [TemplateResource] = [target]
        while let parent = chain[0].parent.flatMap({ byID[$0] }) { chain.insert(parent, at: 0) }
        let namespace = target.type.split(separator: "/").first.map(String.init) ?? ""
        var parts: [TemplateValue] = [.string(namespace)]
        for node in chain {
            parts.append(.string("/" + (node.type.split(separator: "/").last.map(String.init) ?? "") + "/"))
            parts.append(node.name)
        }
        return expression(.concat(parts))
    }
}
