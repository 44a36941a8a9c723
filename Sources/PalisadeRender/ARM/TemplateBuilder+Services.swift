import PalisadeModel

extension TemplateBuilder {
    // swiftlint:disable:next function_body_length cyclomatic_complexity
    func buildServices(_ resource: Resource) -> [TemplateResource] {
        func obj(_ members: [(String, TemplateValue?)]) -> TemplateValue {
            .object(members.compactMap { key, value in value.map { (key, $0) } })
        }
        func enablement(_ state: EnablementState?) -> TemplateValue? { state.map { .string($0.rawValue) } }
        func make(_ members: [(String, TemplateValue?)], parent: ResourceID? = nil, location: Bool = true,
                  scope: ResourceID? = nil, name: TemplateValue? = nil, extra: [ResourceID] = []) -> TemplateResource {
            let payload = resource.payload
            var all: [(String, TemplateValue)] = []
            if location { all.append(("location", payload.location == "global" ? .string("global") : .parameter("location"))) }
            if let tags = tags(payload.tags, of: resource.id) { all.append(("tags", tags)) }
            for (key, value) in members { if let value { all.append((key, value)) } }
            return TemplateResource(
                id: resource.id, type: resource.type.rawValue, apiVersion: ARMRenderer.apiVersion(resource.type), parent: parent,
                name: name ?? (parent == nil ? .nameOf(resource.id) : .string(resource.id.name)), scope: scope, members: all,
                dependsOn: dependencies(payload.references + extra + [parent].compactMap { $0 }, excluding: resource.id),
                symbol: symbols[resource.id] ?? "resource")
        }
        switch resource {
        case .machineLearningWorkspace(let workspace):
            var managed: TemplateValue?
            if workspace.managedNetwork.isolationMode != .disabled || !workspace.managedNetwork.outboundRules.isEmpty {
                let rules = workspace.managedNetwork.outboundRules.sorted { $0.name < $1.name }.map { rule -> (String, TemplateValue) in
                    let destination: TemplateValue = switch rule.kind {
                    case .fqdn: .string(rule.fqdn ?? "")
                    case .privateEndpoint: obj([
                        ("serviceResourceId", id(rule.serviceResourceID)), ("subresourceTarget", .string(rule.subresourceTarget ?? "")),
                        ("sparkEnabled", .bool(rule.sparkEnabled)),
                    ])
                    case .serviceTag: obj([
                        ("serviceTag", .string(rule.serviceTag ?? "")), ("protocol", .string(rule.serviceTagProtocol ?? "TCP")),
                        ("portRanges", .string(rule.portRanges ?? "443")), ("action", .string(rule.action)),
                    ])
                    }
                    return (rule.name, obj([("type", .string(rule.kind.rawValue)), ("category", .string(rule.category)),
                                            ("destination", destination)]))
                }
                managed = obj([
                    ("isolationMode", .string(workspace.managedNetwork.isolationMode.rawValue)),
                    ("outboundRules", rules.isEmpty ? nil : .object(rules)),
                    ("firewallSku", workspace.managedNetwork.firewallSku.map { .string($0) }),
                ])
            }
            return [make([
                ("sku", obj([("name", .string(workspace.sku)), ("tier", .string(workspace.sku))])),
                ("kind", .string(workspace.kind)),
                ("identity", identity(workspace.identity)),
                ("properties", obj([
                    ("friendlyName", .nameOf(workspace.id)),
                    ("storageAccount", id(workspace.storageAccount)),
                    ("keyVault", id(workspace.keyVault)),
                    ("applicationInsights", id(workspace.applicationInsights)),
                    ("containerRegistry", id(workspace.containerRegistry)),
                    ("primaryUserAssignedIdentity", id(workspace.primaryUserAssignedIdentity)),
                    ("publicNetworkAccess", enablement(workspace.publicNetworkAccess) ?? .string("Disabled")),
                    ("hbiWorkspace", .bool(workspace.highBusinessImpact)),
                    ("imageBuildCompute", workspace.imageBuildCompute.map { .string($0) }),
                    ("systemDatastoresAuthMode", workspace.systemDatastoresAuthMode.map { .string($0) }),
                    ("v1LegacyMode", .bool(workspace.v1LegacyMode)),
                    ("ipAllowlist", workspace.ipAllowlist.isEmpty ? nil : .array(workspace.ipAllowlist.map { .string($0) })),
                    ("managedNetwork", managed),
                    // Same as Terraform's provision_on_creation_enabled: build the managed network with the workspace.
                    ("provisionNetworkNow", workspace.managedNetwork.isolationMode != .disabled ? .bool(true) : nil),
                ])),
            ], extra: graph.all(RoleAssignment.self).filter { assignment in
                assignment.principal.map { workspace.identity.userAssigned.contains($0) } ?? false
            }.map(\.id))]
        case .machineLearningCompute(let compute):
            let inner: TemplateValue = compute.isInstance
                ? obj([
                    ("vmSize", .string(compute.vmSize)),
                    ("subnet", idObject(compute.subnet)),
                    ("enableNodePublicIp", .bool(compute.enableNodePublicIP)),
                    ("sshSettings", obj([("sshPublicAccess", .string(compute.remoteLoginPortPublicAccess == "Enabled" ? "Enabled" : "Disabled"))])),
                    ("personalComputeInstanceSettings", compute.assignedUserObjectID.map { user in
                        obj([("assignedUser", obj([("objectId", .string(user)), ("tenantId", .function("subscription().tenantId"))]))])
                    }),
                ])
                : obj([
                    ("vmSize", .string(compute.vmSize)), ("vmPriority", .string("Dedicated")),
                    ("scaleSettings", obj([("minNodeCount", .int(compute.minNodes)), ("maxNodeCount", .int(compute.maxNodes)),
                                           ("nodeIdleTimeBeforeScaleDown", .string(compute.nodeIdleTimeBeforeScaleDown ?? "PT30M"))])),
                    ("subnet", idObject(compute.subnet)),
                    ("enableNodePublicIp", .bool(compute.enableNodePublicIP)),
                    ("remoteLoginPortPublicAccess", .string(compute.remoteLoginPortPublicAccess)),
                ])
            return [make([
                ("identity", identity(compute.identity)),
                ("properties", obj([("computeType", .string(compute.computeType)), ("disableLocalAuth", .bool(compute.disableLocalAuth)),
                                    ("properties", inner)])),
            ], parent: compute.workspace, extra: graph.privateEndpoints(targeting: compute.workspace).map(\.id))]
        case .storageAccount(let storage):
            let acls = storage.networkACLs
            return [make([
                ("sku", obj([("name", .string(storage.sku))])),
                ("kind", .string(storage.kind)),
                ("properties", obj([
                    ("minimumTlsVersion", .string(storage.minimumTLSVersion)),
                    ("supportsHttpsTrafficOnly", .bool(storage.httpsOnly)),
                    ("allowBlobPublicAccess", .bool(storage.allowBlobPublicAccess)),
                    ("allowSharedKeyAccess", .bool(storage.allowSharedKeyAccess)),
                    ("defaultToOAuthAuthentication", .bool(!storage.allowSharedKeyAccess)),
                    ("publicNetworkAccess", enablement(storage.publicNetworkAccess)),
                    ("isHnsEnabled", .bool(storage.isHnsEnabled)),
                    ("networkAcls", obj([
                        ("defaultAction", .string(acls.defaultAction.rawValue)),
                        ("bypass", .string(acls.bypass.joined(separator: ", "))),
                        ("ipRules", .array(acls.ipRules.map { obj([("value", .string($0)), ("action", .string("Allow"))]) })),
                        ("virtualNetworkRules", .array(acls.virtualNetworkRules.map { obj([("id", id($0)), ("action", .string("Allow"))]) })),
                        ("resourceAccessRules", acls.resourceAccessRules.isEmpty ? nil : .array(acls.resourceAccessRules.map { rule in
                            obj([("tenantId", tenant(rule.tenantID)),
                                 ("resourceId", contains(ResourceID(rule.resourceID)) ? .unlinkedIDOf(ResourceID(rule.resourceID)) : literalID(rule.resourceID))])
                        })),
                    ])),
                ])),
            ])]
        case .keyVault(let vault):
            return [make([("properties", obj([
                ("tenantId", tenant(vault.tenantID)),
                ("sku", obj([("family", .string("A")), ("name", .string(vault.sku))])),
                ("enableRbacAuthorization", .bool(vault.enableRbacAuthorization)),
                ("enablePurgeProtection", vault.enablePurgeProtection ? .bool(true) : nil),
                ("enableSoftDelete", .bool(vault.enableSoftDelete)),
                ("softDeleteRetentionInDays", .int(vault.softDeleteRetentionInDays)),
                ("publicNetworkAccess", enablement(vault.publicNetworkAccess)),
                ("accessPolicies", vault.enableRbacAuthorization ? nil : .array([])),
                ("networkAcls", obj([
                    ("bypass", .string(vault.networkACLs.bypass.contains("AzureServices") ? "AzureServices" : "None")),
                    ("defaultAction", .string(vault.networkACLs.defaultAction.rawValue)),
                    ("ipRules", .array(vault.networkACLs.ipRules.map { obj([("value", .string($0))]) })),
                    ("virtualNetworkRules", .array(vault.networkACLs.virtualNetworkRules.map { obj([("id", id($0))]) })),
                ])),
            ]))])]
        case .keyVaultSecret(let secret):
            let value: TemplateValue = switch secret.value {
            case .secureParameter(let name): .parameter(name)
            default: .parameter(ARMRenderer.adminPasswordParameter)
            }
            return [make([("properties", obj([("contentType", .string(secret.contentType ?? "secret")), ("value", value)]))],
                         parent: secret.vault, location: false)]
        case .containerRegistry(let registry):
            return [make([
                ("sku", obj([("name", .string(registry.sku))])),
                ("properties", obj([
                    ("adminUserEnabled", .bool(registry.adminUserEnabled)),
                    ("publicNetworkAccess", enablement(registry.publicNetworkAccess)),
                    ("networkRuleBypassOptions", .string(registry.networkRuleBypassOptions)),
                    ("dataEndpointEnabled", registry.sku == "Premium" ? .bool(registry.dataEndpointEnabled) : nil),
                    ("networkRuleSet", registry.sku == "Premium" ? obj([
                        ("defaultAction", .string(registry.networkRuleDefaultAction.rawValue)),
                        ("ipRules", .array(registry.ipRules.map { obj([("action", .string("Allow")), ("value", .string($0))]) })),
                    ]) : nil),
                ])),
            ])]
        case .cognitiveServicesAccount(let account):
            return [make([
                ("kind", .string(account.kind)),
                ("sku", obj([("name", .string(account.sku))])),
                ("properties", obj([
                    ("customSubDomainName", account.customSubDomainName == nil ? nil : .nameOf(account.id)),
                    ("publicNetworkAccess", enablement(account.publicNetworkAccess)),
                    ("disableLocalAuth", .bool(account.disableLocalAuth)),
                ])),
            ])]
        case .logAnalyticsWorkspace(let logs):
            return [make([("properties", obj([
                ("sku", obj([("name", .string(logs.sku))])),
                ("retentionInDays", .int(logs.retentionInDays)),
                ("publicNetworkAccessForIngestion", enablement(logs.publicNetworkAccessForIngestion)),
                ("publicNetworkAccessForQuery", enablement(logs.publicNetworkAccessForQuery)),
            ]))])]
        case .applicationInsights(let insights):
            return [make([
                ("kind", .string(insights.applicationType)),
                ("properties", obj([
                    ("Application_Type", .string(insights.applicationType)),
                    ("WorkspaceResourceId", id(insights.workspace)),
                    ("publicNetworkAccessForIngestion", enablement(insights.publicNetworkAccessForIngestion)),
                    ("publicNetworkAccessForQuery", enablement(insights.publicNetworkAccessForQuery)),
                ])),
            ])]
        case .monitorPrivateLinkScope(let scope):
            var result = [make([("properties", obj([("accessModeSettings", obj([
                ("ingestionAccessMode", .string(scope.ingestionAccessMode)), ("queryAccessMode", .string(scope.queryAccessMode)),
            ]))]))])]
            for scoped in scope.scopedResources {
                let scopedID = scope.id.child("scopedResources", "scoped-\(scoped.name)")
                result.append(TemplateResource(
                    id: scopedID, type: "Microsoft.Insights/privateLinkScopes/scopedResources",
                    apiVersion: ARMRenderer.apiVersion(.monitorPrivateLinkScope), parent: scope.id,
                    name: .concat([.string("scoped-"), .nameOf(scoped)]), scope: nil,
                    members: [("properties", obj([("linkedResourceId", id(scoped))]))],
                    dependsOn: dependencies([scope.id, scoped], excluding: scopedID),
                    symbol: (symbols[scope.id] ?? "scope") + (symbols[scoped] ?? "resource").capitalizedFirst))
            }
            return result
        case .diagnosticSetting(let setting):
            return [make([("properties", obj([
                ("workspaceId", id(setting.workspace)),
                ("logs", .array(context.logCategories(setting).map { obj([("categoryGroup", .string($0)), ("enabled", .bool(true))]) })),
                ("metrics", setting.allMetrics ? .array([obj([("category", .string("AllMetrics")), ("enabled", .bool(true))])]) : nil),
            ]))], location: false, scope: setting.target, name: .string(setting.name))]
        case .userAssignedIdentity:
            return [make([])]
        case .roleAssignment(let assignment):
            let principal: TemplateValue? = assignment.principal.map { .principalOf($0) } ?? assignment.principalObjectID.map { .string($0) }
            return [make([("properties", obj([
                ("roleDefinitionId", .function("subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '\(RenderContext.roleDefinitionGUID(assignment.roleDefinitionID))')")),
                ("principalId", principal),
                ("principalType", .string(assignment.principalType)),
                ("description", assignment.roleName.map { .string($0) }),
            ]))], location: false, scope: assignment.scope == context.resourceGroup?.id ? nil : assignment.scope,
                         name: roleAssignmentName(assignment))]
        default:
            return []
        }
    }

    /// A role assignment's name: `guid()` of the scope's ID, the role and the principal's resource ID, so it changes
    /// with every name those IDs are built from (the documented pattern:
    /// https://learn.microsoft.com/azure/role-based-access-control/role-assignments-template#name).
    func roleAssignmentName(_ assignment: RoleAssignment) -> TemplateValue {
        let principal = assignment.principal.flatMap { id($0) } ?? .string(assignment.principalObjectID ?? "")
        return .call("guid", [id(assignment.scope) ?? .string(""), .string(RenderContext.roleDefinitionGUID(assignment.roleDefinitionID)), principal])
    }
}
