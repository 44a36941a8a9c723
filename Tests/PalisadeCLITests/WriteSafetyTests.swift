import Foundation
import Testing

/// Runs the built `palisade` with optional standard input and a time limit; a signal or a timeout is reported as such.
enum Runner {
    struct Outcome {
        var status: Int32
        var signalled: Bool
        var timedOut: Bool
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: Data? = nil, stdout: FileHandle? = nil, in directory: URL = CLITests.repository,
                    timeout: TimeInterval = 60) throws -> Outcome {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = stdout ?? out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
        }
        let deadline = Date().addingTimeInterval(timeout)
        let group = DispatchGroup()
        let outData = Collected(), errData = Collected()
        let readOut = stdout == nil
        group.enter()
        DispatchQueue.global().async { if readOut { outData.set(out.fileHandleForReading.readDataToEndOfFile()) }; group.leave() }
        group.enter()
        DispatchQueue.global().async { errData.set(err.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        var timedOut = false
        while process.isRunning {
            if Date() > deadline { process.terminate(); timedOut = true; break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        group.wait()
        return Outcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal, timedOut: timedOut,
                       stdout: String(decoding: outData.get(), as: UTF8.self), stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// Bytes read on another thread.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
        func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

/// Writes never destroy or mix a user's files, never report success when they failed, and never replace the input.
@Suite struct WriteSafetyTests {
    @Test func renderRefusesANonEmptyDirectory() throws {
        let directory = try Runner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try "my own notes\n".write(to: out.appendingPathComponent("main.bicep"), atomically: true, encoding: .utf8)
        let refused = try Runner.run(["render", "--target", "bicep", "--out", out.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is not empty; pass --force"))
        #expect(try String(contentsOf: out.appendingPathComponent("main.bicep"), encoding: .utf8) == "my own notes\n")
    }

    @Test func renderCreatesMissingParentDirectories() throws {
        let directory = try Runner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("renders/default/terraform")
        let result = try Runner.run(["render", "--target", "terraform", "--output", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("providers.tf").path))
    }

    @Test func forceReplacesOnlyWhatAnEarlierRenderWrote() throws {
        let directory = try Runner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out")
        #expect(try Runner.run(["render", "--target", "terraform", "--out", out.path]).status == 0)
        let manager = FileManager.default
        #expect(manager.fileExists(atPath: out.appendingPathComponent("network.tf").path))
        #expect(manager.fileExists(atPath: out.appendingPathComponent(".palisade-render.json").path))
        try "keep me\n".write(to: out.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        #expect(try Runner.run(["render", "--target", "arm", "--out", out.path, "--force"]).status == 0)
        let files = Set(try manager.contentsOfDirectory(atPath: out.path))
        // The Terraform files of the earlier render are gone, so the directory describes one environment only.
        #expect(files == ["azuredeploy.json", "azuredeploy.parameters.json", ".palisade-render.json", "notes.txt"])
        // Nothing is left beside it from the temporary directory.
        #expect(try manager.contentsOfDirectory(atPath: directory.path) == ["out"])
    }

    @Test func outputNamingTheInputIsRefused() throws {
        let directory = try Runner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("spec.yaml")
        try "name: keep\n".write(to: spec, atomically: true, encoding: .utf8)
        let result = try Runner.run(["plan", spec.path, "--output", spec.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("it is the input file"))
        #expect(try String(contentsOf: spec, encoding: .utf8) == "name: keep\n")
    }

    @Test(arguments: [["rules"], ["plan"], ["expand", "../shared/fixtures/arm/privateaml-ampls/ampls.json", "--placeholders"]])
    func failedWritesExitTwo(arguments: [String]) throws {
        var info = stat()
        guard stat("/dev/full", &info) == 0, (info.st_mode & S_IFMT) == S_IFCHR else { return }  // no full device here
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let toStdout = try Runner.run(arguments, stdout: full)
        #expect(toStdout.status == 2, "\(toStdout.stderr)")
        #expect(toStdout.stderr.contains("No space left on device"))
        if arguments[0] != "rules" {
            let toFile = try Runner.run(arguments + ["--output", "/dev/full"])
            #expect(toFile.status == 2)
            #expect(toFile.stderr.contains("No space left on device"))
        }
    }

    @Test func aFullStandardErrorIsNotACrash() throws {
        var info = stat()
        guard stat("/dev/full", &info) == 0, (info.st_mode & S_IFMT) == S_IFCHR else { return }
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["check", "/nonexistent.json"]
        process.standardError = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 2)
    }

    @Test func standardInputIsReadForDash() throws {
        let yaml = try Runner.run(["plan", "-"], stdin: Data("name: piped\n".utf8))
        #expect(yaml.status == 0, "\(yaml.stderr)")
        #expect(yaml.stdout.contains("piped"))
        let json = try Runner.run(["expand", "-", "--outputs"], stdin: Data(#"{"resources": [], "outputs": {"o": {"type": "int", "value": "[add(1, 2)]"}}}"#.utf8))
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.contains("\"o\": 3"))
    }

    @Test func fileSystemErrorsAreInWords() throws {
        let missing = try Runner.run(["plan", "/nonexistent/spec.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("No such file or directory"))
        let directory = try Runner.run(["check", "/tmp"])
        #expect(directory.status == 2)
        #expect(!directory.stderr.contains("Code=") && !directory.stderr.contains("error 2"))
        let unwritable = try Runner.run(["plan", "--output", "/nonexistent/plan.txt"])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains("No such file or directory"))
    }

    @Test func nonUTF8YAMLIsLocated() throws {
        let directory = try Runner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("latin1.yaml")
        try Data("name: test\nregion: caf\u{E9}\n".data(using: .isoLatin1)!).write(to: spec)
        let result = try Runner.run(["plan", spec.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("latin1.yaml:2:12"))
        #expect(result.stderr.contains("not UTF-8"))
    }

    @Test func invalidUTCNowIsRejected() throws {
        let result = try Runner.run(["expand", "../shared/fixtures/arm/privateaml-ampls/ampls.json", "--placeholders", "--utc-now", "2026-13-45T99:99:99Z"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--utc-now"))
    }
}
