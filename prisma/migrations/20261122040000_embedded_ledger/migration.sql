-- The embedded evidence ledger (ledger/embedded): blocks, their transactions, the world
-- state with its history, chaincode events, and event-listener checkpoints.
-- World-state keys are BYTEA: Fabric composite keys hold U+0000, which TEXT cannot, and
-- bytewise order is the order of Fabric's LevelDB state database.

-- CreateTable
CREATE TABLE "ledger_block" (
    "number" BIGINT NOT NULL,
    "header" BYTEA NOT NULL,
    "header_hash" TEXT NOT NULL,
    "previous_hash" TEXT NOT NULL,
    "data_hash" TEXT NOT NULL,
    "transaction_count" INTEGER NOT NULL,
    "signer_key_id" TEXT NOT NULL,
    "signature" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_block_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "ledger_transaction" (
    "tx_id" TEXT NOT NULL,
    "block_number" BIGINT NOT NULL,
    "tx_index" INTEGER NOT NULL,
    "validation_code" TEXT NOT NULL,
    "creator_msp_id" TEXT NOT NULL,
    "entry" BYTEA NOT NULL,

    CONSTRAINT "ledger_transaction_pkey" PRIMARY KEY ("tx_id")
);

-- CreateTable
CREATE TABLE "ledger_state" (
    "namespace" TEXT NOT NULL,
    "key" BYTEA NOT NULL,
    "value" BYTEA NOT NULL,
    "block_number" BIGINT NOT NULL,
    "tx_index" INTEGER NOT NULL,

    CONSTRAINT "ledger_state_pkey" PRIMARY KEY ("namespace","key")
);

-- CreateTable
CREATE TABLE "ledger_history" (
    "namespace" TEXT NOT NULL,
    "key" BYTEA NOT NULL,
    "block_number" BIGINT NOT NULL,
    "tx_index" INTEGER NOT NULL,
    "tx_id" TEXT NOT NULL,
    "value" BYTEA,
    "is_delete" BOOLEAN NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ledger_history_pkey" PRIMARY KEY ("namespace","key","block_number","tx_index")
);

-- CreateTable
CREATE TABLE "ledger_event" (
    "tx_id" TEXT NOT NULL,
    "block_number" BIGINT NOT NULL,
    "tx_index" INTEGER NOT NULL,
    "chaincode" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "payload" BYTEA NOT NULL,

    CONSTRAINT "ledger_event_pkey" PRIMARY KEY ("tx_id")
);

-- CreateTable
CREATE TABLE "ledger_checkpoint" (
    "name" TEXT NOT NULL,
    "block_number" BIGINT,
    "transaction_id" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_checkpoint_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_block_header_hash_key" ON "ledger_block"("header_hash");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transaction_block_number_tx_index_key" ON "ledger_transaction"("block_number", "tx_index");

-- CreateIndex
CREATE INDEX "ledger_event_block_number_tx_index_idx" ON "ledger_event"("block_number", "tx_index");
