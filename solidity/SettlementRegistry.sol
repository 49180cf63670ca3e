// SPDX-License-Identifier: Apache-2.0
// Records inference receipt commitments on chain: one receipt hash (individual mode) or a Merkle root of a batch.
// Only registered nodes may commit; the owner registers nodes and verifiers; verifiers may flag a node.
pragma solidity ^0.8.24;

contract SettlementRegistry {
    struct Commitment {
        address node;
        uint32 size; // 1 for a single receipt hash, N for a batch root
        uint64 blockNumber;
        uint64 timestamp;
    }

    address public owner;
    mapping(address => bool) public isNode;
    mapping(address => bool) public isVerifier;
    mapping(address => bool) public isFlagged;
    /// Receipts whose payment has been disputed (at most one PaymentDisputed event per receipt).
    mapping(bytes32 => bool) public isDisputed;
    mapping(bytes32 => Commitment) private _commitments;

    event NodeRegistered(address indexed node);
    event NodeDeregistered(address indexed node);
    event VerifierSet(address indexed verifier, bool enabled);
    event NodeFlagged(address indexed node, address indexed verifier, bytes32 indexed receiptHash, string reason);
    event PaymentDisputed(address indexed node, address indexed verifier, bytes32 indexed receiptHash, string paymentRef, string reason);
    event ReceiptCommitted(address indexed node, bytes32 indexed receiptHash);
    event BatchCommitted(address indexed node, bytes32 indexed root, uint32 size);

    modifier onlyOwner() {
        require(msg.sender == owner, "only owner");
        _;
    }

    modifier onlyNode() {
        require(isNode[msg.sender], "not a registered node");
        _;
    }

    constructor() {
        owner = msg.sender;
    }

    function registerNode(address node) external onlyOwner {
        isNode[node] = true;
        emit NodeRegistered(node);
    }

    function deregisterNode(address node) external onlyOwner {
        isNode[node] = false;
        emit NodeDeregistered(node);
    }

    function setVerifier(address verifier, bool enabled) external onlyOwner {
        isVerifier[verifier] = enabled;
        emit VerifierSet(verifier, enabled);
    }

    function flagNode(address node, bytes32 receiptHash, string calldata reason) external {
        require(isVerifier[msg.sender], "not a verifier");
        isFlagged[node] = true;
        emit NodeFlagged(node, msg.sender, receiptHash, reason);
    }

    /// A payment for a receipt that failed verification: recorded on chain as the evidence for reclaiming it from the
    /// node (EIP-3009 transfers are final, so reclaiming is a claim against the node, not a reversal).
    function disputePayment(address node, bytes32 receiptHash, string calldata paymentRef, string calldata reason) external {
        require(isVerifier[msg.sender], "not a verifier");
        // One dispute per receipt: a retried dispute (the first landed, its answer was lost) records nothing twice.
        if (isDisputed[receiptHash]) return;
        isDisputed[receiptHash] = true;
        emit PaymentDisputed(node, msg.sender, receiptHash, paymentRef, reason);
    }

    function commitReceipt(bytes32 receiptHash) external onlyNode {
        _record(receiptHash, 1);
        emit ReceiptCommitted(msg.sender, receiptHash);
    }

    function commitBatch(bytes32 root, uint32 size) external onlyNode {
        require(size > 0, "empty batch");
        _record(root, size);
        emit BatchCommitted(msg.sender, root, size);
    }

    function commitmentOf(bytes32 hash) external view returns (Commitment memory) {
        return _commitments[hash];
    }

    function _record(bytes32 hash, uint32 size) private {
        // A commitment is written once; re-committing the same hash (a retried transaction) is refused, not overwritten.
        require(_commitments[hash].blockNumber == 0, "already committed");
        _commitments[hash] = Commitment(msg.sender, size, uint64(block.number), uint64(block.timestamp));
    }
}
