import "./claims";
import "./distributionBuild";
import "./gas";
import "./nodeCheck";
import "./planMigration";
import "./rehearse";
import "./schedule";
import "./tge";
