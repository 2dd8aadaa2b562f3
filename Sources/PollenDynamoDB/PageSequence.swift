/// The pages of a `Scan` or `Query`, fetched one at a time as they are iterated.
public struct PageSequence: AsyncSequence, Sendable {
    public typealias Element = ReadPage
    /// Fetches the page that starts at the given key (`nil`: the first page).
    let fetch: @Sendable (Item?) async throws -> ReadPage

    init<Input: PagedRead>(client: DynamoDBClient, first: Input) {
        fetch = { startKey in
            var input = first
            if let startKey { input.options.exclusiveStartKey = startKey }
            return try await client.perform(input)
        }
    }

    private init(fetch: @escaping @Sendable (Item?) async throws -> ReadPage) {
        self.fetch = fetch
    }

    /// The same pages, each fetched through `perform` (a retry policy: a page that fails is
    /// fetched again, and the scan goes on from where it was).
    public func fetched(
        through perform: @escaping @Sendable (_ page: @Sendable () async throws -> ReadPage) async throws -> ReadPage
    ) -> PageSequence {
        let fetch = self.fetch
        return PageSequence { startKey in try await perform { try await fetch(startKey) } }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: @Sendable (Item?) async throws -> ReadPage
        var startKey: Item?
        var finished = false

        public mutating func next() async throws -> ReadPage? {
            guard !finished else { return nil }
            let page = try await fetch(startKey)
            startKey = page.lastEvaluatedKey
            finished = startKey?.isEmpty ?? true
            return page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch, startKey: nil)
    }
}
