import "./claims";
import "./distributionBuild";
import "./gas";
import "./planMigration";
import "./rehearse";
import "./schedule";
import "./tge";
