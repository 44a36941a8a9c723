import PalisadeModel

/// Basic SKU public IP addresses were retired on 30 September 2025 and can no longer be created
/// (https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-basic-upgrade-guidance).
public struct PublicIPBasicSkuRule: Rule {
    public static let description = RuleDescription(
        id: "public_ip_basic_sku",
        title: "Public IP Basic SKU",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Microsoft retired Basic SKU public IP addresses on 30 September 2025: a template that creates one no \
        longer deploys, and existing ones lose support. Basic addresses are also open to inbound traffic by \
        default, where Standard addresses are closed until an NSG allows it.
        """,
        source: "https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-basic-upgrade-guidance; PSRule Azure.PublicIP.MigrateStandard",
        fix: "set sku.name to Standard (with publicIPAllocationMethod Static), or remove the public IP and reach the VM through Bastion",
        passingExamples: [
            .spec("{}"),
            .arm("""
            {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-standard", "location": "westeurope",
             "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}}
            """),
        ],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-basic", "location": "westeurope",
             "sku": {"name": "Basic"}, "properties": {"publicIPAllocationMethod": "Dynamic"}},
            {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-unset", "location": "westeurope",
             "properties": {"publicIPAllocationMethod": "Dynamic"}}
            """, flagging: ["pip-basic", "pip-unset"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(PublicIPAddress.self).compactMap { address in
            guard address.sku.lowercased() == "basic" else { return nil }
            return context.finding(Self.self, address, "public IP '\(address.name)' uses the Basic SKU, retired on 30 September 2025; new Basic addresses cannot be created",
                                   evidence: [.property(address.id, "sku.name", address.sku)], property: "sku.name")
        }
    }
}
