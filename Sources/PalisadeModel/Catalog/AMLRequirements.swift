import Foundation

/// One outbound destination Azure Machine Learning compute needs
/// (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall).
public struct AMLRequirement: Hashable, Sendable, Codable {
    /// How the destination is named.
    public enum Destination: Hashable, Sendable, Codable {
        /// A service tag (`{region}` is replaced by the regional suffix).
        case serviceTag(String)
        /// An FQDN, wildcards allowed (`{region}` replaced by the ARM region name).
        case fqdn(String)
    }
    /// Short name used in firewall rule names, e.g. `aml-service`.
    public var id: String
    /// Protocol (`Tcp`, `Udp` or `*`).
    public var `protocol`: NetworkProtocol
    /// Destination ports.
    public var ports: [Int]
    /// The destination.
    public var destination: Destination
    /// What it is for.
    public var purpose: String

    /// Creates a requirement.
    public init(_ id: String, _ protocol: NetworkProtocol, _ ports: [Int], _ destination: Destination, _ purpose: String) {
        self.id = id
        self.protocol = `protocol`
        self.ports = ports
        self.destination = destination
        self.purpose = purpose
    }

    /// The destination text for a region.
    public func destinationText(in region: AzureRegion) -> String {
        switch destination {
        case .serviceTag(let tag): tag.replacingOccurrences(of: "{region}", with: region.tagSuffix)
        case .fqdn(let name): name.replacingOccurrences(of: "{region}", with: region.name)
        }
    }
}

/// The outbound requirements of customer-VNet compute (docs/semantics.md#aml-compute-outbound), split the way a
/// firewall allow-list carries them. Rows that allow data exfiltration are replaced by narrower routes:
/// `Storage.<region>` and `*.blob/queue/table.core.windows.net` go over the subnet's service endpoint under a
/// service endpoint policy (docs/semantics.md#service-endpoint-policies), and `AzureFrontDoor.FrontEnd` by the FQDNs the exfiltration guidance
/// names (https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration).
public enum AMLRequirements {
    /// Service-tag destinations for network rules.
    public static func networkRequirements(highBusinessImpact: Bool, privateMonitor: Bool) -> [AMLRequirement] {
        var rows: [AMLRequirement] = [
            AMLRequirement("entra-id", .tcp, [80, 443], .serviceTag("AzureActiveDirectory"), "Microsoft Entra ID authentication"),
            AMLRequirement("aml-service", .tcp, [443, 8787, 18881], .serviceTag("AzureMachineLearning"),
                           "AML service, RStudio and notebook IntelliSense on compute instances"),
            AMLRequirement("aml-service", .udp, [5831], .serviceTag("AzureMachineLearning"), "compute instance create/update/delete"),
            AMLRequirement("batch", .any, [443], .serviceTag("BatchNodeManagement.{region}"), "Azure Batch back end"),
            AMLRequirement("arm", .tcp, [443], .serviceTag("AzureResourceManager"), "resource management"),
            AMLRequirement("mcr", .tcp, [443], .serviceTag("MicrosoftContainerRegistry.{region}"), "Microsoft container images"),
            AMLRequirement("mcr", .tcp, [443], .serviceTag("AzureFrontDoor.FirstParty"), "MCR content delivery"),
        ]
        if !privateMonitor {
            rows.append(AMLRequirement("monitor", .tcp, [443], .serviceTag("AzureMonitor"), "metrics and logs"))
        }
        if highBusinessImpact {
            rows.append(AMLRequirement("batch-keyvault", .tcp, [443], .serviceTag("AzureKeyVault.{region}"), "Batch key vault (hbi_workspace)"))
        }
        return rows
    }

    /// FQDN destinations for application rules (HTTPS).
    public static let applicationRequirements: [AMLRequirement] = [
        AMLRequirement("entra-signin", .tcp, [443], .fqdn("login.microsoftonline.com"), "Entra ID sign-in"),
        AMLRequirement("graph", .tcp, [443], .fqdn("graph.windows.net"), "Microsoft Graph"),
        AMLRequirement("instances", .tcp, [443, 8787, 18881], .fqdn("*.instances.azureml.ms"), "compute instance access"),
        AMLRequirement("instances-net", .tcp, [443], .fqdn("*.instances.azureml.net"), "compute instance access"),
        AMLRequirement("batch", .tcp, [443], .fqdn("*.{region}.batch.azure.com"), "Azure Batch"),
        AMLRequirement("batch", .tcp, [443], .fqdn("*.{region}.service.batch.azure.com"), "Azure Batch"),
        AMLRequirement("studio", .tcp, [443], .fqdn("ml.azure.com"), "studio (replaces AzureFrontDoor.FrontEnd, per the data exfiltration guidance)"),
        AMLRequirement("automl", .tcp, [443], .fqdn("automlresources-prod-d0eaehh7g8andvav.b02.azurefd.net"),
                       "AutoML images (replaces AzureFrontDoor.FrontEnd, per the data exfiltration guidance)"),
    ]

    /// Package repository FQDNs (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall).
    public static let packageRepositoryFqdns: [String: [String]] = [
        "pypi": ["pypi.org", "files.pythonhosted.org"],
        "conda": ["anaconda.com", "*.anaconda.com", "*.anaconda.org"],
        "cran": ["cloud.r-project.org"],
        "pytorch": ["pytorch.org", "*.pytorch.org"],
        "tensorflow": ["*.tensorflow.org"],
        "huggingface": ["huggingface.co", "*.huggingface.co", "cdn-lfs.huggingface.co"],
        "docker": ["docker.io", "*.docker.io", "*.docker.com", "production.cloudflare.docker.com"],
        "ubuntu": ["archive.ubuntu.com", "security.ubuntu.com", "azure.archive.ubuntu.com"],
    ]

    /// Package sources a spec gets when it declares none: PyPI and conda, the host names Microsoft's package table
    /// lists (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall#python-packages)
    /// with `files.pythonhosted.org`, where pip downloads the files `pypi.org` lists.
    public static let defaultPackageSources = ["pypi", "conda"]

    /// Host names for declared package sources: a known repository name (`pypi`, `conda`, …) expands to its host
    /// names; anything else is taken as a host name (a private mirror). Sorted, without duplicates.
    public static func packageHosts(_ sources: [String]) -> [String] {
        var hosts: [String] = []
        for source in sources {
            if let known = packageRepositoryFqdns[source.lowercased()] { hosts += known } else { hosts.append(source.lowercased()) }
        }
        var seen: Set<String> = []
        return hosts.filter { seen.insert($0).inserted }
    }

    /// What a person on the jumpbox needs to use studio (https://learn.microsoft.com/azure/machine-learning/how-to-enable-studio-virtual-network).
    public static let jumpboxFqdns = [
        "login.microsoftonline.com", "aadcdn.msftauth.net", "aadcdn.msauth.net", "ml.azure.com", "*.azureml.ms",
        "management.azure.com", "graph.microsoft.com",
    ]
}
