import ArgumentParser
import Foundation
import PalisadeAudit
import PalisadeDiff
import PalisadeModel
import PalisadeReport
import PalisadeRules

/// How `audit` authenticates.
enum AuditAuthentication: String, ExpressibleByArgument, CaseIterable {
    /// A service principal when AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET are set, else the Azure CLI.
    case auto
    /// `az account get-access-token`.
    case cli
    /// The client credentials grant with AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET.
    case servicePrincipal = "service-principal"
    /// The instance metadata service of an Azure VM, container or function.
    case managedIdentity = "managed-identity"
}

/// `palisade audit`: read a live estate through Azure Resource Graph, check it, optionally save it and compare it
/// with a design. Exit 4 when part of the estate could not be read (it wins over 1: an incomplete read cannot
/// vouch that nothing is wrong).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read what is deployed (Azure Resource Graph), then check it; exit 4 when part of it could not be read.",
        discussion: """
        Needs the Reader role on every scope. Authenticates with the Azure CLI ('az login'), a service principal \
        (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET) or a managed identity. Tokens are never printed or saved.
        """)

    @Option(name: .customLong("subscription"), help: "A subscription ID to read (repeatable).")
    var subscriptions: [String] = []

    @Option(name: .customLong("management-group"), help: "A management group ID to read, with every subscription below it (repeatable).")
    var managementGroups: [String] = []

    @Option(help: "Write what was read to this snapshot file; every command reads it offline.")
    var save: String?

    @Flag(help: "Replace the --save file if it exists.")
    var force = false

    @Option(help: "A spec or ARM template to compare the estate with: what it adds, lacks or changes (drift also exits 1).")
    var against: String?

    @OptionGroup var inputOptions: InputOptions

    @Option(help: "How to authenticate.")
    var auth: AuditAuthentication = .auto

    @Option(name: .customLong("tenant"), help: "The tenant for the Azure CLI token (az account get-access-token --tenant).")
    var tenant: String?

    @Option(name: .customLong("managed-identity-client-id"), help: "Client ID of a user-assigned managed identity.")
    var managedIdentityClientID: String?

    @Option(name: .customLong("managed-identity-endpoint"), help: ArgumentHelp("The instance metadata token endpoint.", visibility: .hidden))
    var managedIdentityEndpoint: String?

    @Option(help: "Replaces https://management.azure.com for Resource Graph and ARM requests (sovereign clouds, tests).")
    var endpoint: String = "https://management.azure.com"

    @Option(help: "Concurrent ARM reads of child resources.")
    var concurrency: Int = 8

    @Option(name: .customLong("retry-time-scale"), help: ArgumentHelp("Multiplies retry waits (tests).", visibility: .hidden))
    var retryTimeScale: Double = 1

    @Option(help: "Output format.")
    var format: CheckFormat = .text

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "Lowest severity that fails the check.")
    var severity: FindingSeverity = .error

    func validate() throws {
        if subscriptions.isEmpty && managementGroups.isEmpty {
            throw ValidationError("name at least one --subscription or --management-group to read")
        }
        for id in subscriptions + managementGroups where id.isEmpty || id.contains("/") || id.contains(" ") {
            throw ValidationError("'\(id)' is not a subscription or management group ID (use the bare ID, not a path)")
        }
        guard let url = URL(string: endpoint), let host = url.host, let scheme = url.scheme?.lowercased() else {
            throw ValidationError("--endpoint '\(endpoint)' is not a URL")
        }
        // Tokens only travel encrypted, except to this machine (tests, local proxies).
        guard scheme == "https" || (scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host)) else {
            throw ValidationError("--endpoint must be an https URL (http only for 127.0.0.1)")
        }
        if let save, !force, FileManager.default.fileExists(atPath: save) {
            throw ValidationError("'\(save)' exists; choose another --save file or pass --force to replace it")
        }
        guard concurrency >= 1 && concurrency <= 64 else { throw ValidationError("--concurrency must be between 1 and 64") }
        guard retryTimeScale >= 0 else { throw ValidationError("--retry-time-scale must not be negative") }
    }

    func makeCredential() throws -> any TokenCredential {
        let environment = ProcessInfo.processInfo.environment
        switch auth {
        case .cli: return AzureCLICredential(environment: environment, tenant: tenant)
        case .servicePrincipal:
            guard let credential = try ClientSecretCredential.fromEnvironment(environment) else {
                throw InputError(description: "error: --auth service-principal needs AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET")
            }
            return credential
        case .managedIdentity:
            var endpointURL = ManagedIdentityCredential.imdsEndpoint
            if let managedIdentityEndpoint {
                guard let url = URL(string: managedIdentityEndpoint) else {
                    throw InputError(description: "error: --managed-identity-endpoint '\(managedIdentityEndpoint)' is not a URL")
                }
                endpointURL = url
            }
            return ManagedIdentityCredential(endpoint: endpointURL, clientID: managedIdentityClientID)
        case .auto:
            if let credential = try ClientSecretCredential.fromEnvironment(environment) { return credential }
            return AzureCLICredential(environment: environment, tenant: tenant)
        }
    }

    func run() throws {
        let scopes = subscriptions.map(AuditScope.subscription) + managementGroups.map(AuditScope.managementGroup)
        // Read the design first: a bad --against file is invalid input (exit 2) and must not cost an audit.
        let design = try against.map { try LoadedInput.load($0, options: inputOptions) }
        let credential: any TokenCredential
        do { credential = try makeCredential() } catch let error as AuditError {
            throw InputError(description: "error: \(error)")
        }
        let options = AuditOptions(endpoint: URL(string: endpoint)!, concurrency: concurrency,
                                   retry: RetryPolicy(timeScale: retryTimeScale))
        let auditor = Auditor(credential: credential, options: options)
        let result = blockingAwait { await auditor.run(scopes) }

        let label = save ?? "audit of " + scopes.map(\.description).joined(separator: ", ")
        var summary = "Read \(result.rows.count) resource\(result.rows.count == 1 ? "" : "s") from "
            + scopes.map(\.description).joined(separator: ", ")
            + " with \(credential.name) (\(result.requests) request\(result.requests == 1 ? "" : "s")"
        summary += result.throttled > 0 ? ", \(result.throttled) throttled)" : ")"
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        for failure in result.failures {
            FileHandle.standardError.write(Data("warning: could not read \(failure.scope): \(failure.step): \(failure.message)\n".utf8))
        }
        for note in result.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        if let save {
            do { try Snapshot.save(result, to: save, replace: force) } catch {
                throw InputError(description: "error: \(error)")
            }
            FileHandle.standardError.write(Data("Saved \(save)\(result.isComplete ? "" : " (incomplete: see the warnings above)")\n".utf8))
        }

        let (graph, diagnostics) = SnapshotReader.graph(from: result.rows, file: save ?? "audit")
        try Output.report(diagnostics)
        let findings = Checker.run(graph)
        let check = CheckReport(input: label, findings: findings)
        let drift = design.map { ResourceDrift().compare(design: $0.graph, deployed: graph) }
        // Reachability drift: the same exact difference `palisade diff` computes, design before, estate after.
        let reachability = design.map { design in
            ChangeReview.review(before: ReviewInput(graph: design.graph, label: design.label),
                                after: ReviewInput(graph: graph, label: label))
        }
        let flowDrift = reachability.map { !$0.opened.isEmpty || !$0.closed.isEmpty || !$0.openedNames.isEmpty || !$0.closedNames.isEmpty } ?? false
        let text: String
        switch format {
        case .text:
            var out = check.renderText()
            if let drift, let design { out += "\n" + drift.renderText(design: design.label) }
            if let reachability {
                out += "\nReachability against the design (what the deployed estate opens and closes):\n" + reachability.text + "\n"
            }
            if !result.isComplete {
                out += "\nIncomplete audit: \(result.failures.count) part\(result.failures.count == 1 ? "" : "s") could not be read (see the warnings).\n"
            }
            text = out
        case .json:
            text = try JSONOutput.render(AuditReport(audit: SnapshotHeader(result), check: check, drift: drift, reachability: reachability))
        case .sarif:
            text = try JSONOutput.render(SARIFLog(findings: findings))
        }
        try Output.write(text, to: output)
        if !result.isComplete { throw ExitCode(4) }
        if Checker.fails(findings, threshold: severity) || drift.map({ !$0.isEmpty }) == true || flowDrift { throw ExitCode(1) }
    }
}

/// `audit --format json`: what was read, the check, and the drift.
struct AuditReport: Codable {
    /// Report format version.
    var schemaVersion = 1
    /// Scope, time and completeness of the reading.
    var audit: SnapshotHeader
    /// The check of what was read.
    var check: CheckReport
    /// The drift against `--against`, if given.
    var drift: DriftReport?
    /// The reachability difference against `--against` (design before, estate after), as `palisade diff` gives it.
    var reachability: ChangeReview?
}

/// Holds an async result for the synchronous command.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Runs async work from the synchronous command and waits for it (the work runs on the global executor).
func blockingAwait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let semaphore = DispatchSemaphore(value: 0)
    Task.detached {
        box.value = await body()
        semaphore.signal()
    }
    semaphore.wait()
    return box.value!
}
