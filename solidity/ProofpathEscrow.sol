// SPDX-License-Identifier: Apache-2.0
// Escrow for inference payments (PAYMENT_SETTLEMENT_MODE=escrow): funds are collected from the payer with the x402
// auth-capture scheme's ERC-3009 ReceiveWithAuthorization, held per payment, and released only by the verifier the
// payer's signature names (the spec's `receiverAuthorizer`, bound into the payment id by salt binding): its signed
// passing verdict captures to the node, its failing one refunds the payer; after the capture deadline anyone may
// refund. The collect ABI and the PaymentInfo hashing follow base/commerce-payments' AuthCaptureEscrow (v1.1), so the
// official @x402/evm auth-capture client signs for it unchanged; the release rules are our own.
pragma solidity ^0.8.24;

interface IEscrowToken {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function receiveWithAuthorization(
        address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, bytes memory signature
    ) external;
}

/// @notice Turns the payer's ERC-3009 ReceiveWithAuthorization (signed to this collector) into funds in the escrow.
contract ProofpathEip3009Collector {
    address public immutable escrow;

    constructor(address escrow_) {
        escrow = escrow_;
    }

    function collect(address token, address payer, uint256 amount, uint256 validBefore, bytes32 nonce, bytes calldata signature) external {
        // Only the escrow may pull: it records the hold in the same transaction, so no collected funds are unattributed.
        require(msg.sender == escrow, "only the escrow collects");
        IEscrowToken(token).receiveWithAuthorization(payer, address(this), amount, 0, validBefore, nonce, signature);
        require(IEscrowToken(token).transfer(escrow, amount), "forward to escrow failed");
    }
}

contract ProofpathEscrow {
    /// commerce-payments PaymentInfo, field for field (the client hashes exactly this struct).
    struct PaymentInfo {
        address operator;
        address payer;
        address receiver;
        address token;
        uint120 maxAmount;
        uint48 preApprovalExpiry;
        uint48 authorizationExpiry;
        uint48 refundExpiry;
        uint16 minFeeBps;
        uint16 maxFeeBps;
        address feeReceiver;
        uint256 salt;
    }

    enum HoldState { None, Held, Captured, Refunded }

    struct Hold {
        address payer;
        address receiver;
        address token;
        uint120 amount;
        uint48 captureDeadline;
        HoldState state;
        address verifier;
    }

    bytes32 public constant PAYMENT_INFO_TYPEHASH = keccak256(
        "PaymentInfo(address operator,address payer,address receiver,address token,uint120 maxAmount,uint48 preApprovalExpiry,uint48 authorizationExpiry,uint48 refundExpiry,uint16 minFeeBps,uint16 maxFeeBps,address feeReceiver,uint256 salt)"
    );
    bytes32 public constant SALT_BINDING_TYPEHASH = keccak256("x402AuthCaptureSaltBinding(address receiverAuthorizer,address policy,uint256 saltNonce)");
    bytes32 public constant RELEASE_TYPEHASH = keccak256("Release(bytes32 holdId,bytes32 receiptDigest,uint8 action)");
    uint8 public constant ACTION_CAPTURE = 1;
    uint8 public constant ACTION_REFUND = 2;

    address public immutable collector;

    mapping(bytes32 => Hold) private _holds;

    event PaymentHeld(bytes32 indexed holdId, address indexed payer, address indexed receiver, uint256 amount, uint48 captureDeadline, address verifier);
    event PaymentCaptured(bytes32 indexed holdId, address indexed verifier, bytes32 indexed receiptDigest, address receiver, uint256 amount);
    event PaymentRefunded(bytes32 indexed holdId, address indexed by, bytes32 indexed receiptDigest, address payer, uint256 amount, string reason);

    constructor(address collector_) {
        collector = collector_;
    }

    /// The ERC-3009 nonce the client signs: the payment's hash with the payer zeroed (commerce-payments getHash).
    function payerAgnosticHash(PaymentInfo memory info) public view returns (bytes32) {
        info.payer = address(0);
        return _hash(info);
    }

    /// One hold per authorization: keccak256(token ‖ payer ‖ nonce), the same id the node and facilitator use.
    function holdIdOf(address token, address payer, bytes32 nonce) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(token, payer, nonce));
    }

    function holdOf(bytes32 holdId) external view returns (Hold memory) {
        return _holds[holdId];
    }

    /// Collect ABI of AuthCaptureEscrow: permissionless (the client's signature is the consent), exact amount, no fees.
    /// collectorData = abi.encode(bytes signature, address receiverAuthorizer, uint256 saltNonce): the salt must be
    /// the binding of that verifier (x402 auth-capture "payment identity"), so the payer signed who may release.
    function authorize(PaymentInfo calldata info, uint256 amount, address tokenCollector, bytes calldata collectorData) external {
        require(tokenCollector == collector, "unknown token collector");
        _checkTerms(info, amount);
        (bytes memory signature, address verifier) = _boundVerifier(info, collectorData);
        bytes32 nonce = payerAgnosticHash(info);
        bytes32 holdId = holdIdOf(info.token, info.payer, nonce);
        require(_holds[holdId].state == HoldState.None, "payment already authorized");
        _holds[holdId] = Hold(info.payer, info.receiver, info.token, info.maxAmount, info.authorizationExpiry, HoldState.Held, verifier);
        _collect(info, nonce, signature);
        emit PaymentHeld(holdId, info.payer, info.receiver, info.maxAmount, info.authorizationExpiry, verifier);
    }

    function _checkTerms(PaymentInfo calldata info, uint256 amount) private view {
        require(info.operator == address(this), "operator must be this escrow");
        require(amount == info.maxAmount && amount > 0, "amount must equal maxAmount");
        require(info.minFeeBps == 0 && info.maxFeeBps == 0, "fees are not supported");
        require(block.timestamp < info.preApprovalExpiry, "pre-approval expired");
        require(info.preApprovalExpiry <= info.authorizationExpiry && info.authorizationExpiry <= info.refundExpiry, "expiries out of order");
    }

    function _boundVerifier(PaymentInfo calldata info, bytes calldata collectorData) private pure returns (bytes memory signature, address verifier) {
        uint256 saltNonce;
        (signature, verifier, saltNonce) = abi.decode(collectorData, (bytes, address, uint256));
        require(verifier != address(0) && verifier != info.receiver, "the verifier must be a third party");
        require(info.salt == uint256(keccak256(abi.encode(SALT_BINDING_TYPEHASH, verifier, address(0), saltNonce))), "salt does not bind this verifier");
    }

    function _collect(PaymentInfo calldata info, bytes32 nonce, bytes memory signature) private {
        uint256 before = IEscrowToken(info.token).balanceOf(address(this));
        ProofpathEip3009Collector(collector).collect(info.token, info.payer, info.maxAmount, info.preApprovalExpiry, nonce, signature);
        require(IEscrowToken(info.token).balanceOf(address(this)) == before + info.maxAmount, "collected amount mismatch");
    }

    /// Pays the node, once, on the hold's verifier's signed passing verdict, before the capture deadline. Anyone may
    /// relay the signature (the facilitator does); the node cannot produce one.
    function capture(bytes32 holdId, bytes32 receiptDigest, bytes calldata verifierSignature) external {
        Hold storage hold = _holds[holdId];
        require(hold.state == HoldState.Held, "payment is not held");
        require(block.timestamp < hold.captureDeadline, "capture deadline passed");
        address verifier = _verifierOf(hold, holdId, receiptDigest, ACTION_CAPTURE, verifierSignature);
        hold.state = HoldState.Captured;
        require(IEscrowToken(hold.token).transfer(hold.receiver, hold.amount), "transfer failed");
        emit PaymentCaptured(holdId, verifier, receiptDigest, hold.receiver, hold.amount);
    }

    /// Gives the money back, once, on the hold's verifier's signed failing verdict (any time while held).
    function refund(bytes32 holdId, bytes32 receiptDigest, string calldata reason, bytes calldata verifierSignature) external {
        Hold storage hold = _holds[holdId];
        require(hold.state == HoldState.Held, "payment is not held");
        address verifier = _verifierOf(hold, holdId, receiptDigest, ACTION_REFUND, verifierSignature);
        _refund(holdId, hold, verifier, receiptDigest, reason);
    }

    /// After the capture deadline nobody can capture: anyone may return the money to the payer.
    function refundExpired(bytes32 holdId) external {
        Hold storage hold = _holds[holdId];
        require(hold.state == HoldState.Held, "payment is not held");
        require(block.timestamp >= hold.captureDeadline, "capture deadline not reached");
        _refund(holdId, hold, msg.sender, bytes32(0), "capture_deadline_passed");
    }

    function _refund(bytes32 holdId, Hold storage hold, address by, bytes32 receiptDigest, string memory reason) private {
        hold.state = HoldState.Refunded;
        require(IEscrowToken(hold.token).transfer(hold.payer, hold.amount), "transfer failed");
        emit PaymentRefunded(holdId, by, receiptDigest, hold.payer, hold.amount, reason);
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(
            keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
            keccak256("proofpath.escrow"), keccak256("1"), block.chainid, address(this)
        ));
    }

    function _verifierOf(Hold storage hold, bytes32 holdId, bytes32 receiptDigest, uint8 action, bytes calldata signature) private view returns (address) {
        require(signature.length == 65, "bad signature length");
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domainSeparator(), keccak256(abi.encode(RELEASE_TYPEHASH, holdId, receiptDigest, action))));
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        require(uint256(s) <= 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0, "malleable signature");
        address signer = ecrecover(digest, v, r, s);
        require(signer != address(0) && signer == hold.verifier, "not signed by the payment's verifier");
        return signer;
    }

    function _hash(PaymentInfo memory info) private view returns (bytes32) {
        bytes32 infoHash = keccak256(abi.encode(
            PAYMENT_INFO_TYPEHASH, info.operator, info.payer, info.receiver, info.token, info.maxAmount, info.preApprovalExpiry,
            info.authorizationExpiry, info.refundExpiry, info.minFeeBps, info.maxFeeBps, info.feeReceiver, info.salt
        ));
        return keccak256(abi.encode(block.chainid, address(this), infoHash));
    }
}
