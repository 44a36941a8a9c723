import PalisadeModel

/// Private-endpoint outbound rules need the workspace identity to be able to approve the connection (docs/semantics.md#managed-network-limits).
public struct ManagedNetworkApproverRoleRule: Rule {
    public static let description = RuleDescription(
        id: "managed_network_approver_role",
        title: "Managed Network Approver Role",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Since 2025-04-30 the managed network creates private endpoints with the workspace's identity, which must be \
        allowed to approve the connection on the target (the "Azure AI Enterprise Network Connection Approver" role \
        or a role with the same actions); otherwise the outbound rule stays pending and the target is unreachable.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network",
        fix: "assign the workspace identity the Azure AI Enterprise Network Connection Approver role on each private-endpoint target or its resource group",
        passingExamples: [.spec("{}"), .spec("""
            workspace: {managedNetwork: {isolationMode: AllowOnlyApprovedOutbound, outboundRules: [{name: openai, type: PrivateEndpoint, target: openai, subresource: account}]}}
            services: {openAI: true, userAssignedIdentity: true}
            """)],
        failingExamples: [
            .spec("""
            workspace: {managedNetwork: {isolationMode: AllowOnlyApprovedOutbound, outboundRules: [{name: openai, type: PrivateEndpoint, target: openai, subresource: account}]}}
            services: {openAI: true}
            """, flagging: ["mlw-test"]),
            .arm("""
            {"type": "Microsoft.CognitiveServices/accounts", "apiVersion": "2024-10-01", "name": "oai", "location": "westeurope",
             "kind": "OpenAI", "sku": {"name": "S0"}, "properties": {"publicNetworkAccess": "Disabled", "customSubDomainName": "oai"}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "identity": {"type": "SystemAssigned"},
             "properties": {"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound", "outboundRules": {
               "oai": {"type": "PrivateEndpoint", "category": "UserDefined", "destination": {
                 "serviceResourceId": "[resourceId('Microsoft.CognitiveServices/accounts', 'oai')]", "subresourceTarget": "account"}}}}}}
            """, flagging: ["ws"]),
        ]
    )

    public init() {}

    /// Roles whose actions include approving private endpoint connections.
    private static let approvingRoles: Set<String> = [
        "b556d68e-0be0-4f35-a333-ad7ee1ce17ea",  // Azure AI Enterprise Network Connection Approver
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",  // Owner
        "b24988ac-6180-42a0-ab88-20f7382dd24c",  // Contributor
    ]

    public func check(_ context: RuleContext) -> [Finding] {
        let assignments = context.graph.all(RoleAssignment.self).filter { assignment in
            let definition = assignment.roleDefinitionID.lowercased()
            return Self.approvingRoles.contains { definition.hasSuffix($0) }
                || assignment.roleName?.lowercased() == "azure ai enterprise network connection approver"
        }
        return context.graph.all(MachineLearningWorkspace.self).compactMap { workspace in
            guard workspace.managedNetwork.isolationMode != .disabled else { return nil }
            let principals = Set([workspace.id] + workspace.identity.userAssigned + [workspace.primaryUserAssignedIdentity].compactMap { $0 })
            let targets = workspace.managedNetwork.outboundRules.filter { $0.kind == .privateEndpoint && $0.category.lowercased() == "userdefined" }
                .compactMap(\.serviceResourceID)
            let unapproved = targets.filter { target in
                !assignments.contains { assignment in
                    let covers = target.rawValue.lowercased().hasPrefix(assignment.scope.rawValue.lowercased())
                    // An assignment whose principal is only known at deployment time may be the workspace's.
                    let principal = assignment.principal.map(principals.contains) ?? (assignment.principalObjectID == nil)
                    return covers && principal
                }
            }
            guard !unapproved.isEmpty else { return nil }
            return context.finding(
                Self.self, workspace,
                "workspace '\(workspace.name)' has private-endpoint outbound rules to \(unapproved.map { "'\($0.name)'" }.joined(separator: ", ")) but its identity holds no role that approves private endpoint connections there; the endpoints will stay pending",
                evidence: [.property(workspace.id, "properties.managedNetwork.isolationMode", workspace.managedNetwork.isolationMode.rawValue)]
                    + unapproved.map { .related($0, "private-endpoint outbound rule target without an approver role for the workspace identity") })
        }
    }
}

// MARK: - Fix

extension ManagedNetworkApproverRoleRule {
    /// Assigns the workspace identity Azure AI Enterprise Network Connection Approver on each private-endpoint target
    /// the finding names (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#private-endpoint-outbound-rules).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let workspace = context.graph.resource(finding.subject, as: MachineLearningWorkspace.self) else { return nil }
        let targets = finding.evidence.filter { $0.kind == .related }.compactMap(\.resource)
        guard !targets.isEmpty else { return nil }
        let principal = workspace.actingIdentity
        return context.propose("assign Azure AI Enterprise Network Connection Approver on \(targets.map { "'\($0.name)'" }.joined(separator: ", ")) to identity '\(principal.name)'",
                               spec: [SpecPatch("services.userAssignedIdentity", "true")]) { graph in
            for target in targets { graph.assign(BuiltInRoles.networkConnectionApprover, at: target, to: principal) }
        }
    }
}
