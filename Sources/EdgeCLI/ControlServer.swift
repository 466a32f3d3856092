import ArgumentParser
import EdgeConfig
import EdgeServer
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The running `edge dev` that `edge do` talks to, through its loopback-only control API.
struct ControlServer: ParsableArguments {
    @OptionGroup var options: ConfigOptions

    @Option(help: "The dev server (default: http://<[dev] ip>:<[dev] port> of the configuration).")
    var url: String?

    func baseURL() throws -> String {
        if let url { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        let config = try options.load()
        return "http://\(config.dev.ip):\(config.dev.port)"
    }

    /// Sends a request; a refused connection or an error status ends the command with a message.
    func request(_ method: String, _ path: String, json: (some Encodable)? = ControlAPI.Selection?.none) async throws -> Data {
        let base = try baseURL()
        guard let url = URL(string: base + path) else { throw ValidationError("Bad --url \(base).") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "content-type")
            request.httpBody = try JSONEncoder().encode(json)
        }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard (200...299).contains(status) else {
                if let failure = try? JSONDecoder().decode(ControlAPI.Failure.self, from: data) {
                    Terminal.error("\(method) \(path) answered \(status) (\(failure.error.code)): \(failure.error.message)")
                } else {
                    Terminal.error("\(method) \(path) answered \(status): \(String(decoding: data, as: UTF8.self))")
                }
                throw ExitCode.failure
            }
            return data
        } catch let error as ExitCode {
            throw error
        } catch {
            Terminal.error("Could not reach edge dev at \(base): \(error.localizedDescription). Is `edge dev` running? Pass --url if it listens elsewhere.")
            throw ExitCode.failure
        }
    }

    /// Decodes the control API's answer; one that does not fit (another program on the port, an
    /// older `edge dev`) ends the command with a message.
    func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            Terminal.error("The control API answered what edge does not read as \(T.self): \(String(decoding: data.prefix(200), as: UTF8.self))")
            throw ExitCode.failure
        }
    }
}
