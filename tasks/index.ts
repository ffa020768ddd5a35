import "./gas";
import "./planMigration";
import "./rehearse";
import "./tge";
